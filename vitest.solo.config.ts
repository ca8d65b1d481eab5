import { defineConfig } from 'vitest/config';

/**
 * Tests that measure how fast voters are served while the server is attacked (a login flood,
 * hostile spreadsheets): one file at a time, after the main run, so that the figure they check
 * is the server's and not the other test files' load on a two-core machine.
 */
export default defineConfig({
  test: {
    include: ['tests/**/*.solo.test.ts'],
    testTimeout: 180_000,
    hookTimeout: 60_000,
    maxWorkers: 1,
    fileParallelism: false,
    setupFiles: ['./tests/helpers/contract-setup.ts'],
    reporters: ['default', './tests/helpers/summary-reporter.ts'],
  },
});
