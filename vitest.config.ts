import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Timing checks under load (a login flood, hostile spreadsheets) run alone afterwards: vitest.solo.config.ts.
    exclude: ['tests/**/*.solo.test.ts', 'node_modules/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Integration and browser tests start real servers and Chromium: two cores, so keep it modest.
    maxWorkers: 2,
    // Every /api response a test receives is checked against the OpenAPI document (tests/helpers/contract.ts).
    setupFiles: ['./tests/helpers/contract-setup.ts'],
    globalSetup: ['./tests/helpers/contract-global.ts'],
    reporters: ['default', './tests/helpers/summary-reporter.ts'],
  },
});
