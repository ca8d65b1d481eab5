import { postgresAvailable, startPostgres, type TestPostgres } from './postgres';

let server: TestPostgres | undefined;

/**
 * The integration suite on PostgreSQL (vitest.pg.config.ts). With DATABASE_URL already set
 * (pglite:, or a server someone runs), it is used as it is; otherwise a Debian PostgreSQL
 * cluster is started in a temp directory for the run, or PGlite is used where none is installed. Each test server makes a database of its
 * own on it (tests/helpers/server.ts). Workers start after this and inherit DATABASE_URL.
 */
export async function setup(): Promise<void> {
  if (process.env.DATABASE_URL) return;
  if (!postgresAvailable()) {
    console.log('PostgreSQL is not installed (apt-get install postgresql; .ci/run does): the PostgreSQL run uses PGlite');
    process.env.DATABASE_URL = 'pglite:';
    return;
  }
  server = await startPostgres();
  process.env.DATABASE_URL = server.url;
}

export async function teardown(): Promise<void> {
  await server?.stop();
}
