import { defineConfig } from 'vitest/config';

/**
 * The integration suite again on PostgreSQL (issue 14): every test that talks to the server
 * over HTTP or calls the services, with DATABASE_URL set. `DATABASE_URL=pglite: vitest run
 * --config vitest.pg.config.ts` runs it on PGlite in each test process; without DATABASE_URL
 * it starts a Debian PostgreSQL server for the run (tests/helpers/pg-global.ts). Tests of the
 * SQLite file itself skip themselves (tests/helpers/server.ts onSqlite). The browser tests and
 * the PostgreSQL-only tests (pg-*.test.ts, which start their own servers) run in the main run.
 */
export default defineConfig({
  test: {
    include: ['tests/server/**/*.test.ts', 'tests/console/*.test.ts'],
    exclude: ['tests/**/*.solo.test.ts', 'tests/**/*.browser.test.ts', 'tests/server/pg-*.test.ts', 'node_modules/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    maxWorkers: 2,
    setupFiles: ['./tests/helpers/contract-setup.ts'],
    globalSetup: ['./tests/helpers/pg-global.ts'],
    reporters: ['default', './tests/helpers/summary-reporter.ts'],
  },
});
