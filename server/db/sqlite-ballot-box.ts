import { and, eq, sql } from 'drizzle-orm';
import { encodeAnswers } from '../services/ballot-box/stored-answers';
import { requireValidAnswers, requireVoting } from '../services/ballot-box/ballot-rules';
import type { Answers, BallotDefinition, BallotForm } from '../../shared/forms';
import type { Faults, SubmitOutcome } from './database';
import type { SqliteFile } from './open';
import { ballots, receipts, sittingGroups, sittings, tokens, turnoutMinutes } from './schema';
import { ApiError } from '../http/errors';
import { dedupeHash, hashToken, randomId, receiptFor } from '../services/crypto';

/**
 * The voter's side of the ballot box on SQLite, synchronous over better-sqlite3's prepared
 * statements: reading a slip's ballot and casting it. Spending the token, writing the ballot and
 * counting turnout happen in one BEGIN IMMEDIATE transaction (a savepoint of the group commit's,
 * sqlite-group-commit.ts), so a token is spent at most once under any concurrency, and a failure
 * anywhere leaves it unspent. Callers hold the engine's write lock (sqlite-engine.ts): nothing
 * here may run inside another caller's open transaction.
 */
export function createSqliteBallotBox(db: SqliteFile, faults: Faults = {}) {
  const findToken = db.select().from(tokens).where(eq(tokens.tokenHash, sql.placeholder('hash'))).prepare();
  const findSitting = db.select({ id: sittings.id, name: sittings.name, status: sittings.status }).from(sittings).where(eq(sittings.id, sql.placeholder('id'))).prepare();
  const findForms = db.select({ forms: sittings.forms }).from(sittings).where(eq(sittings.id, sql.placeholder('id'))).prepare();
  const spendToken = db
    .update(tokens)
    .set({ spent: true, dedupeHash: sql`${sql.placeholder('dedupe')}` })
    .where(and(eq(tokens.tokenHash, sql.placeholder('hash')), eq(tokens.spent, false)))
    .prepare();
  const insertBallot = db
    .insert(ballots)
    .values({
      id: sql.placeholder('id'),
      sittingId: sql.placeholder('sittingId'),
      voterGroup: sql.placeholder('voterGroup'),
      dryRun: sql.placeholder('dryRun'),
      answers: sql.placeholder('answers'),
    })
    .prepare();
  // The receipt goes on the board, never beside the answers (SECURITY.md: receipts prove inclusion, never content).
  const insertReceipt = db
    .insert(receipts)
    .values({ sittingId: sql.placeholder('sittingId'), receipt: sql.placeholder('receipt'), dryRun: sql.placeholder('dryRun') })
    .prepare();
  const countUse = db
    .update(sittingGroups)
    .set({ used: sql`${sittingGroups.used} + 1` })
    .where(and(eq(sittingGroups.sittingId, sql.placeholder('sittingId')), eq(sittingGroups.name, sql.placeholder('voterGroup'))))
    .prepare();
  const countDryRunUse = db
    .update(sittingGroups)
    .set({ dryRunUsed: sql`${sittingGroups.dryRunUsed} + 1` })
    .where(and(eq(sittingGroups.sittingId, sql.placeholder('sittingId')), eq(sittingGroups.name, sql.placeholder('voterGroup'))))
    .prepare();
  // Live turnout chart: ballots per minute of the sitting, an aggregate count (no token, no group).
  const countMinute = db
    .insert(turnoutMinutes)
    .values({ sittingId: sql.placeholder('sittingId'), minute: sql.placeholder('minute'), dryRun: sql.placeholder('dryRun'), ballots: 1 })
    .onConflictDoUpdate({ target: [turnoutMinutes.sittingId, turnoutMinutes.dryRun, turnoutMinutes.minute], set: { ballots: sql`${turnoutMinutes.ballots} + 1` } })
    .prepare();

  // A sitting's forms are written once, when it is created: read and parsed once per sitting,
  // not on each of a plenary's ballots (~10 KB of JSON each time).
  const formsCache = new Map<number, BallotForm[]>();
  function formsOf(sittingId: number): BallotForm[] {
    let forms = formsCache.get(sittingId);
    if (!forms) formsCache.set(sittingId, (forms = JSON.parse(findForms.get({ id: sittingId })!.forms) as BallotForm[]));
    return forms;
  }

  function lookup(token: string) {
    const row = findToken.get({ hash: hashToken(token) });
    if (!row) throw new ApiError(404, 'unknown_token');
    const sitting = findSitting.get({ id: row.sittingId });
    if (!sitting) throw new ApiError(404, 'unknown_token');
    return { row, sitting };
  }

  return {
    /** The ballot definition a slip opens (PRODUCT: POST /api/voter/ballot). */
    ballotFor(token: string): BallotDefinition {
      const { row, sitting } = lookup(token);
      if (row.spent) throw new ApiError(409, 'token_used');
      requireVoting(sitting.status, row.dryRun);
      return {
        sitting: { id: sitting.id, title: sitting.name, status: sitting.status },
        voterGroup: row.voterGroup,
        rehearsal: row.dryRun,
        forms: formsOf(sitting.id),
      };
    },

    /** Casts a ballot; the same submissionId again returns the same receipt and casts nothing. */
    submit(token: string, submissionId: string, answers: Answers): SubmitOutcome {
      return db.transaction(
        () => {
          const { row, sitting } = lookup(token);
          if (row.spent) {
            if (row.dedupeHash === dedupeHash(submissionId)) return { receipt: receiptFor(sitting.id, submissionId), duplicate: true, sittingId: sitting.id };
            throw new ApiError(409, 'token_used');
          }
          requireVoting(sitting.status, row.dryRun);
          const forms = formsOf(sitting.id);
          requireValidAnswers(forms, answers);
          const spent = spendToken.run({ hash: row.tokenHash, dedupe: dedupeHash(submissionId) });
          if (spent.changes !== 1) throw new ApiError(409, 'token_used');
          faults.afterSpend?.();
          const receipt = receiptFor(sitting.id, submissionId);
          insertBallot.run({
            id: randomId(),
            sittingId: sitting.id,
            voterGroup: row.voterGroup,
            dryRun: row.dryRun ? 1 : 0,
            answers: encodeAnswers(forms, answers),
          });
          insertReceipt.run({ sittingId: sitting.id, receipt, dryRun: row.dryRun ? 1 : 0 });
          (row.dryRun ? countDryRunUse : countUse).run({ sittingId: sitting.id, voterGroup: row.voterGroup });
          countMinute.run({ sittingId: sitting.id, minute: Math.floor(Date.now() / 60_000), dryRun: row.dryRun ? 1 : 0 });
          return { receipt, duplicate: false, sittingId: sitting.id };
        },
        { behavior: 'immediate' },
      );
    },
  };
}

export type SqliteBallotBox = ReturnType<typeof createSqliteBallotBox>;
