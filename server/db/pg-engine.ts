import { sql } from 'drizzle-orm';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { scopedTransactions, type Db, type EnginePorts, type Tx } from './database';
import type { EngineKind } from './engine-choice';
import { openPostgres } from './open-pg';
import { createPgBallotBox, sessionOf } from './pg-ballot-box';
import { rewriteSittingLayout, type PgQuery } from './pg-layout';
import { listenTurnout, notifyTurnout, TURNOUT_CHANNEL } from './pg-notify';
import * as schema from './schema-pg';

/**
 * The services' writers take turns, as on SQLite (database.ts): every transaction of
 * db.transaction first takes this transaction-scoped advisory lock, across every app server on
 * the database. Their read-then-write steps (a sitting's state, the audit chain's next entry)
 * need nothing more. The voter's casts do not take it: they lock only their own rows.
 */
const WRITERS_LOCK = 7_262_019_466_104_322n;

/** How a PostgreSQL session is reached: one statement at a time, and one transaction on one session. */
interface Sessions {
  read: PgQuery;
  transact<T>(work: (q: PgQuery) => Promise<T>): Promise<T>;
  listen(changed: (sittingId: number | undefined) => void): Promise<() => Promise<void>>;
  end(): Promise<void>;
}

/** A PostgreSQL server (DATABASE_URL=postgres://…), on a pool of connections. */
export async function openPostgresDb(url: string, poolSize = 10): Promise<Db> {
  const db = await openPostgres(url, poolSize);
  const pool = db.$client;
  return withPorts(db as unknown as Db, 'postgres', {
    read: pool,
    async transact(work) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await work(client);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    listen: (changed) => listenTurnout(pool as pg.Pool, changed),
    end: () => pool.end(),
  });
}

const migrationsFolder = join(dirname(fileURLToPath(import.meta.url)), 'migrations-pg');

/**
 * PostgreSQL in this process (DATABASE_URL=pglite: in memory, or pglite:/dir on disk): the
 * same SQL, migrations and layout as a server, for fast tests and trials. One session, which
 * PGlite lends to one transaction at a time.
 */
export async function openPgliteDb(url: string): Promise<Db> {
  const dataDir = url.slice('pglite:'.length) || undefined;
  // Loaded only for PGlite: a server on PostgreSQL proper does without it.
  const [{ PGlite }, { drizzle: drizzlePglite }, { migrate: migratePglite }] = await Promise.all([import('@electric-sql/pglite'), import('drizzle-orm/pglite'), import('drizzle-orm/pglite/migrator')]);
  const client = new PGlite(dataDir);
  const db = drizzlePglite(client, { schema });
  await migratePglite(db, { migrationsFolder });
  return withPorts(db as never, 'pglite', {
    read: client,
    transact: (work) => client.transaction((tx) => work(tx)),
    async listen(changed) {
      const stop = await client.listen(TURNOUT_CHANNEL, (payload) => {
        const sittingId = Number(payload);
        if (Number.isSafeInteger(sittingId)) changed(sittingId);
      });
      return stop;
    },
    end: () => client.close(),
  });
}

function withPorts(db: Db, kind: EngineKind, sessions: Sessions): Db {
  const native = db.transaction.bind(db);
  const begin = (run: (tx: Tx) => Promise<unknown>) =>
    native(async (tx) => {
      await tx.execute(sql`SELECT pg_advisory_xact_lock(${WRITERS_LOCK})`);
      return run(tx);
    });
  const ports: EnginePorts = {
    kind,
    ballotBox: ({ faults }) => createPgBallotBox({ read: sessions.read, transact: (work) => sessions.transact(work), faults }),
    rewriteLayout: (tx, sittingId) => rewriteSittingLayout(sessionOf(tx), sittingId),
    async purgeRehearsal(tx, sittingId) {
      const q = sessionOf(tx);
      await q.query('DELETE FROM receipts WHERE sitting_id = $1 AND dry_run', [sittingId]);
      const purged = (await q.query('DELETE FROM ballots WHERE sitting_id = $1 AND dry_run RETURNING 1', [sittingId])).rows.length;
      // PostgreSQL has no secure_delete: a deleted row stays in the heap until VACUUM, which does
      // not zero it either. Rewriting the partitions (TRUNCATE and refill) leaves no trace of
      // them, nor of the practice slips the caller deleted in the same transaction.
      await rewriteSittingLayout(q, sittingId);
      return purged;
    },
    afterClose: () => {},
    watchOtherServers(changed) {
      // Every server's own casts come back to it too: the ballot box notifies, not this server.
      const stopping = sessions.listen((sittingId) => changed(sittingId));
      return () => void stopping.then((stop) => stop()).catch(() => undefined);
    },
    tellOtherServers(sittingId) {
      // Best effort, after the commit: a stream that misses it catches up at the next cast.
      void notifyTurnout(sessions.read, sittingId).catch(() => undefined);
    },
    close: () => sessions.end(),
  };
  Object.assign(db, { $engine: ports });
  return scopedTransactions(db, begin);
}
