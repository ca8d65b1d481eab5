import type { Db } from './database';
import { engineOf } from './engine-choice';

/**
 * Opens the database the configuration names: PostgreSQL when DATABASE_URL is set, otherwise the
 * SQLite file at DB_FILE. Schemas are brought up to date by their migrations first. The tables
 * the services import (tables.ts) follow DATABASE_URL of this process, so a process runs one
 * engine: `databaseUrl` must be the one it started with.
 */
export async function openDatabase({ databaseUrl = process.env.DATABASE_URL, dbFile = './data/ceping.sqlite' }: { databaseUrl?: string | undefined; dbFile?: string }): Promise<Db> {
  const kind = engineOf(databaseUrl);
  if (kind !== engineOf(process.env.DATABASE_URL)) throw new Error('this process runs on the engine of its DATABASE_URL');
  // Each engine's drivers load only when it is the one in use (PostgreSQL's: ~20 MiB a server on SQLite does without).
  if (kind === 'postgres') return (await import('./pg-engine')).openPostgresDb(databaseUrl!);
  if (kind === 'pglite') return (await import('./pg-engine')).openPgliteDb(databaseUrl!);
  return (await import('./sqlite-engine')).openSqlite(dbFile);
}
