import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres, type PgDb } from '../../server/db/open-pg';
import { postgresAvailable, startPostgres, type TestPostgres } from '../helpers/postgres';

/**
 * Opening a PostgreSQL database (issue 14): the migrations run at start, once however many app
 * servers start together, and every connection commits synchronously whatever the server's
 * default. On Debian's PostgreSQL, started for the test in a temporary directory.
 */
const MIGRATIONS = readdirSync(join(dirname(fileURLToPath(import.meta.url)), '../../server/db/migrations-pg')).filter((f) => f.endsWith('.sql')).length;

describe.runIf(postgresAvailable())('opening PostgreSQL', () => {
  let server: TestPostgres;
  const opened: PgDb[] = [];
  beforeAll(async () => {
    server = await startPostgres();
  }, 60_000);
  afterAll(async () => {
    await Promise.all(opened.map((db) => db.$client.end()));
    await server?.stop();
  });

  it('migrates a fresh database once when three app servers start at the same moment', async () => {
    const admin = new pg.Client({ connectionString: server.url });
    await admin.connect();
    await admin.query('CREATE DATABASE fresh');
    // The server's default is off for this database: our connections must turn it on.
    await admin.query('ALTER DATABASE fresh SET synchronous_commit = off');
    await admin.end();
    const url = server.url.replace(/\/[^/?]*(\?|$)/, '/fresh$1');
    opened.push(...(await Promise.all([openPostgres(url, 2), openPostgres(url, 2), openPostgres(url, 2)])));
    const db = opened[0]!.$client;
    const applied = await db.query('SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations');
    expect(applied.rows[0].n).toBe(MIGRATIONS);
    const partitioned = await db.query("SELECT relname FROM pg_class WHERE relkind = 'p' ORDER BY relname");
    expect(partitioned.rows.map((r) => r.relname)).toEqual(['ballots', 'receipts', 'tokens']);
    // Opening again changes nothing.
    opened.push(await openPostgres(url, 1));
    expect((await db.query('SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations')).rows[0].n).toBe(MIGRATIONS);
    for (const each of opened) expect((await each.$client.query('SHOW synchronous_commit')).rows[0].synchronous_commit).toBe('on');
  });
});
