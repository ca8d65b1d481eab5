import { serve, type ServerType } from '@hono/node-server';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../server/app';
import type Database from 'better-sqlite3';
import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { openDatabase } from '../../server/db/connect';
import type { Db, Faults } from '../../server/db/database';
import { engineOf } from '../../server/db/engine-choice';
import { bootstrap } from '../../server/services/bootstrap';
import { BUILT_CLIENT } from './built-client';
import { pgliteCopy } from './pglite-template';

export const ADMIN_PASSWORD = 'test-admin-password';

/** The client as `npm run build` leaves it. */
export { BUILT_CLIENT };

/**
 * The engine this test process runs on: the SQLite file, or PostgreSQL when DATABASE_URL is set
 * (vitest.pg.config.ts runs the integration suite on PGlite and on a real PostgreSQL server).
 * Tests of SQLite's own files run on SQLite only.
 */
export const ENGINE = engineOf(process.env.DATABASE_URL);
export const onSqlite = ENGINE === 'sqlite';

export interface TestServer {
  url: string;
  origin: string;
  db: Db;
  /** The SQLite file (on SQLite only). */
  dbFile: string;
  /** The SQLite file's own connection, for tests that look at it from below (on SQLite only). */
  readonly sqlite: Database.Database;
  /** Every line the server logged during the test. */
  logs: string[];
  close(): Promise<void>;
}

/**
 * The real server on a loopback port with a fresh SQLite file: what a test talks to over HTTP.
 * Serves the built client from dist/client when `withClient` is set (run `npm run build` first),
 * or from `clientDir`. With `restoreFrom`, the server starts on a copy of that database file.
 */
export async function startServer(
  options: { faults?: Faults; withClient?: boolean; clientDir?: string; demo?: boolean; publicOrigin?: string; restoreFrom?: string } = {},
): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'ceping-test-'));
  const dbFile = join(dir, 'ceping.sqlite');
  // A restore as the README tells it: the backup file copied into place before the server starts.
  if (options.restoreFrom) copyFileSync(options.restoreFrom, dbFile);
  const database = await freshDatabase();
  const db = await openDatabase({ databaseUrl: database.url, dbFile });
  await bootstrap(db, { adminPassword: ADMIN_PASSWORD, loadDemo: options.demo ?? false });
  const logs: string[] = [];
  const app = createApp({
    db,
    log: (line) => logs.push(line),
    publicOrigin: options.publicOrigin,
    ...(options.faults ? { faults: options.faults } : {}),
    ...(options.clientDir ? { clientDir: options.clientDir } : options.withClient ? { clientDir: BUILT_CLIENT } : {}),
  });
  const server: ServerType = await new Promise((done) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => done(s));
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    origin: url,
    db,
    dbFile,
    get sqlite() {
      const file = (db as { $file?: { $client: Database.Database } }).$file;
      if (!file) throw new Error('this test looks at the SQLite file: run it on SQLite only (onSqlite)');
      return file.$client;
    },
    logs,
    close: () =>
      new Promise((done) => {
        server.close(() => {
          void db.$engine
            .close()
            .then(() => database.drop())
            .finally(() => {
              rmSync(dir, { recursive: true, force: true });
              done();
            });
        });
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      }),
  };
}

/** A fresh, migrated database on this process's engine, without a server: for tests of the data-access layer itself. */
export async function openTestDatabase(): Promise<{ db: Db; close(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'ceping-db-'));
  const database = await freshDatabase();
  const db = await openDatabase({ databaseUrl: database.url, dbFile: join(dir, 'ceping.sqlite') });
  return {
    db,
    close: async () => {
      await db.$engine.close();
      await database.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A database of the test's own on the engine of this process: none to make for SQLite (the
 * file); for PGlite, a copy of the run's migrated data directory (or one in memory outside
 * the PostgreSQL run); on a PostgreSQL server, a new database beside the one
 * DATABASE_URL names, dropped again when the server closes.
 */
export async function freshDatabase(): Promise<{ url: string | undefined; drop(): Promise<void> }> {
  const base = process.env.DATABASE_URL;
  if (ENGINE === 'sqlite') return { url: undefined, drop: async () => {} };
  if (ENGINE === 'pglite') return pgliteCopy();
  const name = `ceping_test_${randomBytes(6).toString('hex')}`;
  const admin = async (statement: string) => {
    const client = new pg.Client({ connectionString: base });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(base!);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}
