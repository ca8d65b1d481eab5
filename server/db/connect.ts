import type { Db } from './database';
import { engineOf } from './engine-choice';
import { openPgliteDb, openPostgresDb } from './pg-engine';
import { openSqlite } from './sqlite-engine';

/**
 * Opens the database the configuration names: PostgreSQL when DATABASE_URL is set, otherwise the
 * SQLite file at DB_FILE. Schemas are brought up to date by their migrations first. The tables
 * the services import (tables.ts) follow DATABASE_URL of this process, so a process runs one
 * engine: `databaseUrl` must be the one it started with.
 */
export async function openDatabase({ databaseUrl = process.env.DATABASE_URL, dbFile = './data/ceping.sqlite' }: { databaseUrl?: string | undefined; dbFile?: string }): Promise<Db> {
  const kind = engineOf(databaseUrl);
  if (kind !== engineOf(process.env.DATABASE_URL)) throw new Error('this process runs on the engine of its DATABASE_URL');
  if (kind === 'postgres') return openPostgresDb(databaseUrl!);
  if (kind === 'pglite') return openPgliteDb(databaseUrl!);
  return openSqlite(dbFile);
}
