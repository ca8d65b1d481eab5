import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as schema from './schema';

/**
 * The SQLite file through drizzle's synchronous better-sqlite3 driver: what the SQLite engine's
 * own modules use (sqlite-engine.ts, the ballot box, the layout rewrite, the command-line tools).
 * The services use the async `Db` of database.ts instead.
 */
export type SqliteFile = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

const migrationsFolder = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

/**
 * Opens (or creates) the SQLite file and brings its schema up to date.
 * WAL with synchronous=FULL: a ballot acknowledged with 201 survives a kill -9 or a power
 * loss (NORMAL could lose the last commits); FULL still leaves ample headroom for a plenary.
 */
export function openSqliteFile(file: string): SqliteFile {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const sqlite = new Database(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // Deleted rows (cleared dry runs, expired sessions) are overwritten, not left in free pages.
  sqlite.pragma('secure_delete = ON');
  const db = drizzle(sqlite, { schema });
  migrate(db, { migrationsFolder });
  return db;
}
