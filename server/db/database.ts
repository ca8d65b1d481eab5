import { AsyncLocalStorage } from 'node:async_hooks';
import type { NodePgDatabase } from 'drizzle-orm/node-postgres';
import type { Answers, BallotDefinition } from '../../shared/forms';
import type * as schema from './schema-pg';
import type { EngineKind } from './engine-choice';

/**
 * The one data-access layer of the services (issue 14), on SQLite or PostgreSQL alike.
 *
 * - Every query is awaited: `await db.select()…`, `await db.insert()…`; a query's rows come from
 *   `.returning()` or the select itself (never SQLite's `.get()`, `.all()` or `.run()`, which
 *   PostgreSQL does not have); an update's or delete's count is `(await …).rowCount`.
 * - `db.transaction(async (tx) => …)` runs one writer at a time, on either engine, as SQLite's
 *   BEGIN IMMEDIATE always has: the services' read-then-write steps (a sitting's state, the
 *   audit chain) need no locks of their own. The voter's ballot box is not one of them: it casts
 *   through the engine's own statements (`$engine.ballotBox`), beside the services' writers.
 * - Inside a transaction, every query of that async call chain is part of it, whether it is sent
 *   through `tx` or through `db`: a service that reads through `db` from within another's
 *   transaction (getSitting inside openSitting, say) reads what that transaction sees.
 *
 * Typed as drizzle's PostgreSQL database over schema-pg; on SQLite the same calls run on
 * schema.ts's twin tables (tables.ts).
 */
export type Db = NodePgDatabase<typeof schema> & { $engine: EnginePorts };

/** An open transaction: what `db.transaction` hands its callback. */
export type Tx = Parameters<Parameters<NodePgDatabase<typeof schema>['transaction']>[0]>[0];

/** Anything that runs a query: the database or an open transaction. */
export type Queryable = Pick<Db, 'select' | 'insert' | 'update' | 'delete' | 'execute'>;

/** A ballot as stored: `answers` in stored-answers.ts's encoding. */
export interface StoredBallot {
  voterGroup: string;
  dryRun: boolean;
  answers: string;
}

export interface SubmitOutcome {
  receipt: string;
  duplicate: boolean;
  sittingId: number;
}

/** The voter's side of the ballot box (services/ballot-box): reading a slip's ballot and casting it. */
export interface BallotBox {
  ballotFor(token: string): Promise<BallotDefinition>;
  /** Casts a ballot; resolves after its commit. The same submissionId again returns the same receipt and casts nothing. */
  submit(token: string, submissionId: string, answers: Answers): Promise<SubmitOutcome>;
  /** Casts inside the caller's open transaction (a paper ballot with its entries): committed, or rolled back, with it. */
  castIn(tx: Tx, token: string, submissionId: string, answers: Answers): Promise<SubmitOutcome>;
}

export interface Faults {
  /** Test seam: runs inside the submit transaction after the token is spent, before the ballot is written. */
  afterSpend?: () => void;
}

/** What each engine does its own way; the services call these and never ask which engine it is. */
export interface EnginePorts {
  readonly kind: EngineKind;
  /** `changed` hears of each sitting whose turnout a cast changed, after the commit. */
  ballotBox(options: { faults?: Faults; changed: (sittingId: number) => void }): BallotBox;
  /**
   * Inside the closing transaction: writes the sitting's ballots, receipts and tokens again in
   * a fresh random order, so nothing on disk keeps their arrival order (SECURITY.md). Returns
   * the ballots it rewrote, for the close to tally without reading them again.
   */
  rewriteLayout(tx: Tx, sittingId: number): Promise<StoredBallot[]>;
  /** Inside a transaction: removes a sitting's rehearsal ballots and receipts, leaving no trace of them; returns how many ballots. */
  purgeRehearsal(tx: Tx, sittingId: number): Promise<number>;
  /** After a close has committed: whatever copy of the old order the engine still keeps (SQLite's WAL) goes. */
  afterClose(): void;
  /**
   * Calls `changed` when another app server may have changed a sitting's counters (SQLite:
   * the file's data_version; PostgreSQL: LISTEN). Returns the call that stops watching.
   */
  watchOtherServers(changed: (sittingId: number | undefined) => void): () => void;
  /** After a commit that changed a sitting's counters: other app servers' streams hear of it (SQLite: they see data_version move; PostgreSQL: NOTIFY). */
  tellOtherServers(sittingId: number): void;
  close(): Promise<void>;
}

/**
 * Gives a drizzle database the transaction rules above. `begin` opens one top-level
 * transaction the engine's way (taking its one-writer lock); nested calls become savepoints of
 * the open one; and while a transaction is open, `db.select` etc. of its async context go to it.
 */
export function scopedTransactions<D extends object>(
  db: D,
  begin: (run: (tx: Tx) => Promise<unknown>) => Promise<unknown>,
  adapt: (tx: Tx) => Tx = (tx) => tx,
): D {
  const current = new AsyncLocalStorage<Tx>();
  const routed = new Set(['select', 'selectDistinct', 'selectDistinctOn', 'insert', 'update', 'delete', 'execute', 'with', '$count']);
  const transaction = (fn: (tx: Tx) => Promise<unknown>) => {
    const open = current.getStore();
    if (open) return open.transaction((nested) => current.run(adapt(nested), () => fn(adapt(nested))));
    return begin((tx) => current.run(adapt(tx), () => fn(adapt(tx))));
  };
  return new Proxy(db, {
    get(target, property, receiver) {
      if (property === 'transaction') return transaction;
      const open = routed.has(property as string) ? current.getStore() : undefined;
      const source = open ?? target;
      const value = Reflect.get(source, property, open ? source : receiver) as unknown;
      return typeof value === 'function' ? value.bind(source) : value;
    },
  });
}

/**
 * `SELECT … FOR UPDATE` where the engine locks rows (PostgreSQL): the row stays as read until
 * the transaction ends, and whoever holds it FOR SHARE (a cast in flight) is waited for. On
 * SQLite the open transaction already holds the whole file, and the query runs as it is.
 */
export function forUpdate<Q extends object>(query: Q): Q {
  const lockable = query as { for?: (strength: 'update') => Q };
  return typeof lockable.for === 'function' ? lockable.for('update') : query;
}
