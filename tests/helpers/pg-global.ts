import { makePgliteTemplate } from './pglite-template';
import { postgresAvailable, startPostgres, type TestPostgres } from './postgres';

let server: TestPostgres | undefined;
let template: { remove(): void } | undefined;

/**
 * The integration suite on PostgreSQL (vitest.pg.config.ts), on the engine CEPING_TEST_PG names:
 *   - `pglite` (the default): PGlite in each test process, every test server on a copy of one
 *     migrated data directory (tests/helpers/pglite-template.ts);
 *   - `server`: a Debian PostgreSQL cluster started in a temp directory for the run; each test
 *     server makes a database of its own on it. `.ci/run` runs the suite this way too.
 * A DATABASE_URL already set (a server someone runs) is used as it is. Workers start after
 * this and inherit the environment.
 */
export async function setup(): Promise<void> {
  if (process.env.DATABASE_URL) return;
  if (process.env.CEPING_TEST_PG === 'server') {
    if (!postgresAvailable()) throw new Error('CEPING_TEST_PG=server needs PostgreSQL: apt-get install postgresql (.ci/run does)');
    server = await startPostgres();
    process.env.DATABASE_URL = server.url;
    return;
  }
  const made = await makePgliteTemplate();
  template = made;
  process.env.DATABASE_URL = 'pglite:';
  process.env.CEPING_PGLITE_TEMPLATE = made.dir;
}

export async function teardown(): Promise<void> {
  await server?.stop();
  template?.remove();
}
