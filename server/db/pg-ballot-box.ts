import type { Answers, SittingStatus } from '../../shared/forms';
import { ApiError } from '../http/errors';
import { formsCache, requireValidAnswers, requireVoting } from '../services/ballot-box/ballot-rules';
import { encodeAnswers } from '../services/ballot-box/stored-answers';
import { dedupeHash, hashToken, randomId, receiptFor } from '../services/crypto';
import type { BallotBox, Faults, SubmitOutcome, Tx } from './database';
import { submitBatches, type PendingSubmit } from './submit-batches';
import { tokenSitting, type PgQuery } from './pg-layout';
import { TURNOUT_CHANNEL } from './pg-notify';

/**
 * The ballot box's statements on PostgreSQL (issue 14): what one cast does inside its
 * transaction. The caller holds the transaction (BEGIN ... COMMIT, or a SAVEPOINT when several
 * casts share one) and sends the 201 only after the COMMIT.
 *
 * - The token is found by its hash alone (token_sittings, one probe), then every statement on
 *   `tokens` names its sitting, so it reaches one partition (pg-layout.ts).
 * - The sitting's row is read FOR SHARE: a close (which updates it) waits for casts in flight,
 *   and a cast arriving during the close waits, then sees it closed.
 * - Spend-once: the spend is conditional on spent = false and must change exactly one row.
 * - Turnout: the group's counter and the minute's count, as the SQLite ballot box keeps them,
 *   and a notification to every app server's turnout streams (pg-notify.ts).
 */
export type CastOutcome = { cast: true; receipt: string; sittingId: number; voterGroup: string; dryRun: boolean } | { cast: false; reason: 'unknown_token' | 'sitting_closed' | 'token_used' };

/**
 * `countTurnout: false` leaves the turnout counters to the caller: a transaction holding many
 * casts counts them once (countCasts) instead of once each. Every cast updates its group's one
 * counter row, and a row lock is held until COMMIT: concurrent single casts queue on it, one
 * durable commit after another (measured by tests/bench/pg-ballot-box.bench.ts).
 */
export async function castInTransaction(q: PgQuery, tokenHash: string, submissionId: string, answers: string, { countTurnout = true } = {}): Promise<CastOutcome> {
  const sittingId = await tokenSitting(q, tokenHash);
  if (sittingId === null) return { cast: false, reason: 'unknown_token' };
  const [sitting] = (await q.query('SELECT status FROM sittings WHERE id = $1 FOR SHARE', [sittingId])).rows as { status: string }[];
  if (sitting?.status !== 'open') return { cast: false, reason: 'sitting_closed' };
  const spent = await spendAndStore(q, sittingId, tokenHash, submissionId, answers);
  if (!spent) return { cast: false, reason: 'token_used' };
  if (countTurnout) await countCasts(q, [{ sittingId, voterGroup: spent.voterGroup, dryRun: spent.dryRun }]);
  return { cast: true, sittingId, ...spent };
}

/**
 * Spends the token, if it is still unspent, and stores its ballot (under a random id) and its
 * receipt: the writes of every cast. Null when the token was spent already (by a cast that
 * committed while this one waited for its row).
 */
async function spendAndStore(q: PgQuery, sittingId: number, tokenHash: string, submissionId: string, answers: string, afterSpend?: () => void) {
  // One statement, one round trip: the spend, and the ballot's and receipt's inserts only if it spent.
  const receipt = receiptFor(sittingId, submissionId);
  const spent = (
    await q.query(
      `WITH spent AS (
         UPDATE tokens SET spent = true, dedupe_hash = $3 WHERE sitting_id = $1 AND token_hash = $2 AND spent = false RETURNING voter_group, dry_run
       ), ballot AS (
         INSERT INTO ballots (sitting_id, id, voter_group, dry_run, answers) SELECT $1::integer, $4::text, voter_group, dry_run, $5::text FROM spent
       ), receipt AS (
         INSERT INTO receipts (sitting_id, receipt, dry_run) SELECT $1::integer, $6::text, dry_run FROM spent
       )
       SELECT voter_group, dry_run FROM spent`,
      [sittingId, tokenHash, dedupeHash(submissionId), randomId(), answers, receipt],
    )
  ).rows as { voter_group: string; dry_run: boolean }[];
  if (spent.length !== 1) return null;
  afterSpend?.();
  const [{ voter_group: voterGroup, dry_run: dryRun }] = spent as [{ voter_group: string; dry_run: boolean }];
  return { receipt, voterGroup, dryRun };
}

/** One cast in a transaction of its own: committed if cast, else rolled back. `q` is one session (a client, never a pool, whose queries may each take another connection). */
export async function cast(q: PgQuery, tokenHash: string, submissionId: string, answers: string): Promise<CastOutcome> {
  await q.query('BEGIN');
  try {
    const outcome = await castInTransaction(q, tokenHash, submissionId, answers);
    await q.query(outcome.cast ? 'COMMIT' : 'ROLLBACK');
    return outcome;
  } catch (error) {
    await q.query('ROLLBACK');
    throw error;
  }
}

/**
 * Turnout as counters only, as on SQLite: each group's count and the sitting's ballots per
 * minute, one update per group and minute however many casts, and a notification to every app
 * server's turnout streams, delivered when the transaction commits and never if it rolls back.
 */
export async function countCasts(q: PgQuery, casts: { sittingId: number; voterGroup: string; dryRun: boolean }[]): Promise<void> {
  const minute = Math.floor(Date.now() / 60_000);
  const groups = new Map<string, { sittingId: number; voterGroup: string; dryRun: boolean; count: number }>();
  for (const c of casts) {
    const key = JSON.stringify([c.sittingId, c.voterGroup, c.dryRun]);
    const group = groups.get(key) ?? { ...c, count: 0 };
    group.count++;
    groups.set(key, group);
  }
  // One statement per group: its counter, the minute's count, and the notification.
  for (const { sittingId, voterGroup, dryRun, count } of groups.values()) {
    await q.query(
      `WITH used AS (
         UPDATE sitting_groups SET ${dryRun ? 'dry_run_used = dry_run_used' : 'used = used'} + $3 WHERE sitting_id = $1 AND name = $2
       ), minutes AS (
         INSERT INTO turnout_minutes (sitting_id, minute, dry_run, ballots) VALUES ($1, $4, $5, $3)
         ON CONFLICT (sitting_id, dry_run, minute) DO UPDATE SET ballots = turnout_minutes.ballots + $3
       )
       SELECT pg_notify($6, $1::text)`,
      [sittingId, voterGroup, count, minute, dryRun, TURNOUT_CHANNEL],
    );
  }
}

interface TokenRow {
  sitting_id: number;
  voter_group: string;
  dry_run: boolean;
  spent: boolean;
  dedupe_hash: string | null;
}

/**
 * The voter's ballot box on PostgreSQL, with the SQLite box's every rule (ballot-rules.ts):
 * practice slips only in a rehearsal, idempotent retries by submissionId, the answers checked
 * against the forms, stored canonical. `transact` runs a function in a transaction of its own
 * on one session and commits before it resolves (synchronous_commit is on: a 201 follows the
 * commit); `read` runs single statements outside any transaction. The submits of one turn of
 * the event loop are cast in one transaction (groupCommit below).
 */
export function createPgBallotBox({
  read,
  transact,
  faults = {},
}: {
  read: PgQuery;
  transact: <T>(work: (q: PgQuery) => Promise<T>) => Promise<T>;
  faults?: Faults;
}): BallotBox {
  // Read in the session at hand: PGlite has one session, which a cast's transaction holds, so a
  // read beside it would wait for that transaction, and the transaction for the read.
  const forms = formsCache(async (sittingId, q: PgQuery) => {
    const [row] = (await q.query('SELECT forms FROM sittings WHERE id = $1', [sittingId])).rows as { forms: string }[];
    if (!row) throw new ApiError(404, 'unknown_token');
    return row.forms;
  });

  async function lookup(q: PgQuery, token: string, lock: '' | 'FOR SHARE OF s') {
    const tokenHash = hashToken(token);
    // One round trip: the token's sitting by token_sittings (its value prunes `tokens` to one
    // partition as the query runs), the sitting and the token. FOR SHARE OF s in a cast: a close
    // waits for casts in flight, and a cast arriving during a close waits for it, then sees it closed.
    const [found] = (
      await q.query(
        `SELECT s.id, s.name, s.status, t.sitting_id, t.voter_group, t.dry_run, t.spent, t.dedupe_hash
           FROM sittings s JOIN tokens t ON t.sitting_id = s.id
          WHERE s.id = (SELECT sitting_id FROM token_sittings WHERE token_hash = $1) AND t.token_hash = $1 ${lock}`,
        [tokenHash],
      )
    ).rows as (TokenRow & { id: number; name: string; status: SittingStatus })[];
    if (!found) throw new ApiError(404, 'unknown_token');
    return { tokenHash, sitting: { id: found.id, name: found.name, status: found.status }, row: found as TokenRow };
  }

  /** A retry of the cast that spent this token gets its receipt again; anything else finds it used. */
  function alreadySpent(row: TokenRow, submissionId: string): SubmitOutcome {
    if (row.dedupe_hash === dedupeHash(submissionId)) return { receipt: receiptFor(row.sitting_id, submissionId), duplicate: true, sittingId: row.sitting_id };
    throw new ApiError(409, 'token_used');
  }

  /** A cast inside the caller's transaction; `counted` gets its turnout, for the caller to count (countCasts). */
  async function castIn(q: PgQuery, token: string, submissionId: string, answers: Answers, counted: Cast[]): Promise<SubmitOutcome> {
    const { tokenHash, sitting, row } = await lookup(q, token, 'FOR SHARE OF s');
    if (row.spent) return alreadySpent(row, submissionId);
    requireVoting(sitting.status, row.dry_run);
    const sittingForms = await forms.of(sitting.id, q);
    requireValidAnswers(sittingForms, answers);
    const spent = await spendAndStore(q, sitting.id, tokenHash, submissionId, encodeAnswers(sittingForms, answers), faults.afterSpend);
    if (!spent) {
      // Another cast of this token committed while this one waited on its row: read what it left.
      const { row: now } = await lookup(q, token, '');
      return alreadySpent(now, submissionId);
    }
    counted.push({ sittingId: sitting.id, voterGroup: spent.voterGroup, dryRun: spent.dryRun });
    return { receipt: spent.receipt, duplicate: false, sittingId: sitting.id };
  }

  return {
    async ballotFor(token) {
      const { sitting, row } = await lookup(read, token, '');
      if (row.spent) throw new ApiError(409, 'token_used');
      requireVoting(sitting.status, row.dry_run);
      return { sitting: { id: sitting.id, title: sitting.name, status: sitting.status }, voterGroup: row.voter_group, rehearsal: row.dry_run, forms: await forms.of(sitting.id, read) };
    },
    submit: groupCommit(transact, castIn),
    async castIn(tx, token, submissionId, answers) {
      const q = sessionOf(tx);
      const counted: Cast[] = [];
      const outcome = await castIn(q, token, submissionId, answers, counted);
      await countCasts(q, counted);
      return outcome;
    },
  };
}

type Cast = { sittingId: number; voterGroup: string; dryRun: boolean };

/**
 * Group commit on PostgreSQL, as on SQLite (sqlite-group-commit.ts): the submits that arrive in
 * one turn of the event loop are cast in one transaction, each in a savepoint of its own (a
 * refused ballot is rolled back alone), their turnout counted once, and committed together: one
 * durable commit, and one update of each voter group's counter row, for the batch. Each promise
 * settles after that commit; if the commit fails, every ballot of the batch is refused and
 * nothing of it is kept. Batches on different connections of the pool run side by side.
 * Measured by tests/bench/pg-ballot-box.bench.ts (grouped against per-ballot transactions).
 */
function groupCommit(
  transact: <T>(work: (q: PgQuery) => Promise<T>) => Promise<T>,
  castIn: (q: PgQuery, token: string, submissionId: string, answers: Answers, counted: Cast[]) => Promise<SubmitOutcome>,
): BallotBox['submit'] {
  async function commitBatch(batch: PendingSubmit[]): Promise<void> {
    let settled: ({ ok: true; outcome: SubmitOutcome } | { ok: false; error: unknown })[] = [];
    try {
      await transact(async (q) => {
        settled = [];
        const counted: Cast[] = [];
        for (const pending of batch) {
          await q.query('SAVEPOINT one_ballot');
          const mark = counted.length;
          try {
            settled.push({ ok: true, outcome: await castIn(q, pending.token, pending.submissionId, pending.answers, counted) });
            await q.query('RELEASE SAVEPOINT one_ballot');
          } catch (error) {
            counted.length = mark;
            settled.push({ ok: false, error });
            await q.query('ROLLBACK TO SAVEPOINT one_ballot');
          }
        }
        if (counted.length > 0) await countCasts(q, counted);
      });
    } catch (error) {
      for (const pending of batch) pending.reject(error);
      return;
    }
    batch.forEach((pending, i) => {
      const result = settled[i]!;
      if (result.ok) pending.resolve(result.outcome);
      else pending.reject(result.error);
    });
  }

  return submitBatches((batch) => void commitBatch(batch));
}

/**
 * The session under a drizzle transaction (node-postgres's PoolClient, PGlite's transaction):
 * raw statements sent through it are part of that transaction. drizzle keeps it as
 * `tx.session.client`, in both of its PostgreSQL drivers.
 */
export function sessionOf(tx: Tx): PgQuery {
  const client = (tx as unknown as { session?: { client?: PgQuery } }).session?.client;
  if (!client || typeof client.query !== 'function') throw new Error('not a PostgreSQL transaction');
  return client;
}
