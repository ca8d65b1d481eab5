import { dedupeHash, randomId, receiptFor } from '../services/crypto';
import { tokenSitting, type PgQuery } from './pg-layout';
import { notifyTurnout } from './pg-notify';

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
  const spent = (await q.query('UPDATE tokens SET spent = true, dedupe_hash = $3 WHERE sitting_id = $1 AND token_hash = $2 AND spent = false RETURNING voter_group, dry_run', [sittingId, tokenHash, dedupeHash(submissionId)]))
    .rows as { voter_group: string; dry_run: boolean }[];
  if (spent.length !== 1) return { cast: false, reason: 'token_used' };
  const [{ voter_group, dry_run }] = spent as [{ voter_group: string; dry_run: boolean }];
  const receipt = receiptFor(sittingId, submissionId);
  await q.query('INSERT INTO ballots (sitting_id, id, voter_group, dry_run, answers) VALUES ($1, $2, $3, $4, $5)', [sittingId, randomId(), voter_group, dry_run, answers]);
  await q.query('INSERT INTO receipts (sitting_id, receipt, dry_run) VALUES ($1, $2, $3)', [sittingId, receipt, dry_run]);
  if (countTurnout) await countCasts(q, [{ sittingId, voterGroup: voter_group, dryRun: dry_run }]);
  return { cast: true, receipt, sittingId, voterGroup: voter_group, dryRun: dry_run };
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
  for (const { sittingId, voterGroup, dryRun, count } of groups.values()) {
    await q.query(`UPDATE sitting_groups SET ${dryRun ? 'dry_run_used = dry_run_used' : 'used = used'} + $3 WHERE sitting_id = $1 AND name = $2`, [sittingId, voterGroup, count]);
    await q.query(
      'INSERT INTO turnout_minutes (sitting_id, minute, dry_run, ballots) VALUES ($1, $2, $3, $4) ON CONFLICT (sitting_id, dry_run, minute) DO UPDATE SET ballots = turnout_minutes.ballots + $4',
      [sittingId, minute, dryRun, count],
    );
  }
  for (const sittingId of new Set(casts.map((c) => c.sittingId))) await notifyTurnout(q, sittingId);
}
