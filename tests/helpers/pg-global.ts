import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../server/db/connect';
import { postgresAvailable, startPostgres, type TestPostgres } from './postgres';

let server: TestPostgres | undefined;
let templateRoot: string | undefined;

/**
 * The integration suite on PostgreSQL (vitest.pg.config.ts), on the engine CEPING_TEST_PG names:
 *   - `pglite` (the default): PGlite in each test process. Every test server gets a copy of one
 *     migrated data directory made here, which opens in under a second where a fresh PGlite
 *     takes 5-6 s to initdb (tests/helpers/server.ts freshDatabase);
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
  templateRoot = mkdtempSync(join(tmpdir(), 'ceping-pglite-'));
  const template = join(templateRoot, 'migrated');
  process.env.DATABASE_URL = 'pglite:';
  // The server's own open: initdb, then the migrations, as every server start runs them.
  const db = await openDatabase({ databaseUrl: `pglite:${template}`, dbFile: join(templateRoot, 'unused.sqlite') });
  await db.$engine.close();
  process.env.CEPING_PGLITE_TEMPLATE = template;
}

export async function teardown(): Promise<void> {
  await server?.stop();
  if (templateRoot) rmSync(templateRoot, { recursive: true, force: true });
}

/** A test's own PGlite data directory: a copy of the migrated template, removed by `drop`. */
export function pgliteCopy(): { url: string; drop(): Promise<void> } {
  const template = process.env.CEPING_PGLITE_TEMPLATE;
  if (!template) return { url: 'pglite:', drop: async () => {} };
  const dir = mkdtempSync(join(tmpdir(), 'ceping-pglite-db-'));
  cpSync(template, join(dir, 'data'), { recursive: true });
  return { url: `pglite:${join(dir, 'data')}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
}
