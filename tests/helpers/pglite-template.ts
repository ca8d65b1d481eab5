import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../server/db/connect';

/**
 * One migrated PGlite data directory for a test run, copied for each test server: a copy opens
 * in about a second, where a fresh PGlite takes 5-6 s to initdb. The run's global setup makes
 * it (tests/helpers/pg-global.ts) and names it in CEPING_PGLITE_TEMPLATE for the workers.
 */
export async function makePgliteTemplate(): Promise<{ dir: string; remove(): void }> {
  const root = mkdtempSync(join(tmpdir(), 'ceping-pglite-'));
  const dir = join(root, 'migrated');
  // openDatabase opens only the engine of this process's DATABASE_URL; then initdb and the
  // migrations, as every server start runs them.
  process.env.DATABASE_URL = 'pglite:';
  const db = await openDatabase({ databaseUrl: `pglite:${dir}`, dbFile: join(root, 'unused.sqlite') });
  await db.$engine.close();
  return { dir, remove: () => rmSync(root, { recursive: true, force: true }) };
}

/** A test's own PGlite data directory: a copy of the run's template (in memory without one), removed by `drop`. */
export function pgliteCopy(): { url: string; drop(): Promise<void> } {
  const template = process.env.CEPING_PGLITE_TEMPLATE;
  if (!template) return { url: 'pglite:', drop: async () => {} };
  const dir = mkdtempSync(join(tmpdir(), 'ceping-pglite-db-'));
  cpSync(template, join(dir, 'data'), { recursive: true });
  return { url: `pglite:${join(dir, 'data')}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
}
