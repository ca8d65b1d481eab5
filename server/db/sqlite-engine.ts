import type { Statement } from 'better-sqlite3';
import type { SQLWrapper } from 'drizzle-orm';
import { SQLiteAsyncDialect } from 'drizzle-orm/sqlite-core';
import { drizzle } from 'drizzle-orm/sqlite-proxy';
import { AsyncLocalStorage } from 'node:async_hooks';
import { scopedTransactions, type BallotBox, type Db, type EnginePorts, type Tx } from './database';
import { openSqliteFile, type SqliteFile } from './open';
import * as schema from './schema';
import { createSqliteBallotBox } from './sqlite-ballot-box';
import { createGroupCommit } from './sqlite-group-commit';
import { checkpointTruncate, purgeRehearsal, shuffleSittingLayout } from './sqlite-layout';
import { WriteLock } from './write-lock';

/**
 * How often a server with open turnout streams looks for commits made by other app servers on
 * the same database file (a ballot cast on one shows on a stream held on another).
 */
const OTHER_SERVERS_POLL_MS = 250;

/** Prepared statements kept per SQL text; beyond this many (lists of varying length) the cache starts again. */
const STATEMENT_CACHE = 500;

type Method = 'run' | 'all' | 'values' | 'get';

/**
 * The embedded SQLite file behind the async data-access layer (database.ts). Statements run on
 * one better-sqlite3 connection, synchronously, through drizzle's async "proxy" driver; a
 * transaction holds the write lock (write-lock.ts) from BEGIN IMMEDIATE to COMMIT, and every
 * other statement (a ballot box batch too) waits for it. The ballot box keeps its synchronous
 * prepared statements and group commit: that is the hot path of a plenary.
 */
export function openSqlite(path: string): Db & { $file: SqliteFile } {
  return sqliteDb(openSqliteFile(path));
}

/** The layer over a file already open (a read-only one, say, that must not be migrated). */
export function sqliteDb(file: SqliteFile): Db & { $file: SqliteFile } {
  const raw = file.$client;
  const lock = new WriteLock();
  const owners = new AsyncLocalStorage<symbol>();
  const statements = new Map<string, Statement>();

  function statement(text: string): Statement {
    let prepared = statements.get(text);
    if (!prepared) {
      if (statements.size >= STATEMENT_CACHE) statements.clear();
      statements.set(text, (prepared = raw.prepare(text)));
    }
    return prepared;
  }

  function runNow(text: string, params: unknown[], method: Method): { rows: unknown; rowCount: number } {
    const prepared = statement(text);
    const values = params.map(toSqliteValue);
    if (method === 'run') {
      if (prepared.reader) return { rows: prepared.raw(true).all(...values), rowCount: 0 };
      return { rows: [], rowCount: prepared.run(...values).changes };
    }
    if (method === 'get') return { rows: prepared.raw(true).get(...values), rowCount: 0 };
    return { rows: prepared.raw(true).all(...values), rowCount: 0 };
  }

  const proxy = drizzle(async (text, params, method) => lock.whenFree(owners.getStore(), () => runNow(text, params, method)) as never, { schema });

  // db.execute(sql`…`) as drizzle's PostgreSQL driver answers it: rows as objects, and rowCount.
  const dialect = new SQLiteAsyncDialect();
  const execute = (query: SQLWrapper) => {
    const { sql, params } = dialect.sqlToQuery(query.getSQL());
    return lock.whenFree(owners.getStore(), () => {
      const prepared = statement(sql);
      const values = params.map(toSqliteValue);
      if (prepared.reader) return { rows: prepared.raw(false).all(...values), rowCount: 0 };
      return { rows: [], rowCount: prepared.run(...values).changes };
    });
  };
  const withExecute = (tx: Tx) => Object.assign(tx, { execute }) as Tx;

  async function begin(run: (tx: Tx) => Promise<unknown>): Promise<unknown> {
    const owner = Symbol('transaction');
    await lock.acquire(owner);
    try {
      return await owners.run(owner, () => proxy.transaction((tx) => run(tx as unknown as Tx), { behavior: 'immediate' }));
    } finally {
      lock.release();
    }
  }

  function requireOpenTransaction(): void {
    if (!raw.inTransaction || owners.getStore() === undefined) throw new Error('this runs inside a transaction of db.transaction');
  }

  const ports: EnginePorts = {
    kind: 'sqlite',
    ballotBox({ faults, changed }): BallotBox {
      const box = createSqliteBallotBox(file, faults);
      return {
        ballotFor: (token) => lock.whenFree(owners.getStore(), () => box.ballotFor(token)),
        submit: createGroupCommit(file, lock, box, changed),
        castIn: async (_tx, token, submissionId, answers) => {
          requireOpenTransaction();
          return box.submit(token, submissionId, answers); // a savepoint of the caller's transaction
        },
      };
    },
    async rewriteLayout(_tx, sittingId) {
      requireOpenTransaction();
      return shuffleSittingLayout(file, sittingId);
    },
    async purgeRehearsal(_tx, sittingId) {
      requireOpenTransaction();
      return purgeRehearsal(file, sittingId);
    },
    afterClose: () => checkpointTruncate(file),
    watchOtherServers(changed) {
      // SQLite's counter of commits by other connections to the file (this one's own do not move it).
      const dataVersion = () => raw.pragma('data_version', { simple: true }) as number;
      let seen = dataVersion();
      const poll = setInterval(() => {
        if (!raw.open) return;
        const version = dataVersion();
        if (version === seen) return;
        seen = version;
        changed(undefined);
      }, OTHER_SERVERS_POLL_MS);
      poll.unref();
      return () => clearInterval(poll);
    },
    tellOtherServers: () => {}, // the commit itself moves their data_version
    async close() {
      await lock.acquire(Symbol('close'));
      raw.close();
    },
  };
  Object.assign(proxy, { execute, $engine: ports, $file: file });
  return scopedTransactions(proxy, begin, withExecute) as unknown as Db & { $file: SqliteFile };
}

/** better-sqlite3 binds numbers, strings, bigints, buffers and null: a boolean goes in as 1 or 0, as drizzle's columns store it. */
function toSqliteValue(value: unknown): unknown {
  return typeof value === 'boolean' ? (value ? 1 : 0) : value;
}
