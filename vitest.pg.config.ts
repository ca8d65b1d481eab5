import { defineConfig } from 'vitest/config';

/**
 * The integration suite again on PostgreSQL (issue 14): every test that talks to the server
 * over HTTP or calls the services, with DATABASE_URL set. By default on PGlite in each test
 * process (fast, nothing to install); `npm run test:pg-server` runs it on a Debian PostgreSQL
 * server started for the run (CEPING_TEST_PG=server, tests/helpers/pg-global.ts), and `npm
 * test` runs both. Tests of the SQLite file itself skip themselves (tests/helpers/server.ts
 * onSqlite), and so do those of several server processes on PGlite, which lives inside one.
 * The browser tests and the PostgreSQL-only tests (pg-*.test.ts, which start their own
 * servers) run in the main run.
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
