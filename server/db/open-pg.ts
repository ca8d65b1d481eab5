import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import * as schema from './schema-pg';

export type PgDb = NodePgDatabase<typeof schema> & { $client: pg.Pool };

const migrationsFolder = join(dirname(fileURLToPath(import.meta.url)), 'migrations-pg');

/**
 * A key of our own for pg_advisory_lock: several app servers starting at once on a fresh
 * database would otherwise run the same migration side by side, and all but one fail on the
 * tables the first created. (Any 64-bit number no other user of the database takes.)
 */
const MIGRATION_LOCK = 7_262_019_466_104_321n;

/**
 * Opens a pool on a PostgreSQL database (DATABASE_URL) and brings its schema up to date with
 * the drizzle-kit migrations of migrations-pg, one server at a time. `synchronous_commit` is
 * set on for every connection, whatever the server's default: a 201 goes out only after the
 * ballot's commit is on disk.
 */
export async function openPostgres(url: string, poolSize = 10): Promise<PgDb> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize, options: '-c synchronous_commit=on' });
  // An idle connection the database ends (a restart, pg_terminate_backend) is dropped by the pool
  // and opened again when next needed; unheard, its error would end the whole process.
  pool.on('error', (error) => console.error(`数据库连接已断开，将重新连接 / a database connection was closed, it will be reopened: ${error.message}`));
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      await migrate(drizzle(client, { schema }), { migrationsFolder });
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    }
  } finally {
    client.release();
  }
  return drizzle(pool, { schema }) as PgDb;
}
