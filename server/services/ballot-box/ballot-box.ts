import { and, eq, sql } from 'drizzle-orm';
import { checkAnswers } from '../../../shared/answers';
import { encodeAnswers } from './stored-answers';
import { allows } from '../../../shared/sitting-life';
import type { Answers, BallotDefinition, BallotForm, SittingStatus } from '../../../shared/forms';
import type { Db } from '../../db/open';
import { ballots, receipts, sittingGroups, sittings, tokens, turnoutMinutes } from '../../db/schema';
import { ApiError } from '../../http/errors';
import { dedupeHash, hashToken, randomId, receiptFor } from '../crypto';

export interface Faults {
  /** Test seam: runs inside the submit transaction after the token is spent, before the ballot is written. */
  afterSpend?: () => void;
}

export interface SubmitOutcome {
  receipt: string;
  duplicate: boolean;
  sittingId: number;
}

/**
 * The voter's side of the ballot box: reading a slip's ballot and casting it.
 * Spending the token, writing the ballot and counting turnout happen in one
 * BEGIN IMMEDIATE transaction, so a token is spent at most once under any concurrency,
 * and a failure anywhere leaves it unspent.
 */
export function createBallotBox(db: Db, faults: Faults = {}) {
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

  // A sitting's forms are written once, when it is created (sittings.ts createSitting): read and
  // parsed once per sitting, not on each of a plenary's ballots (~10 KB of JSON each time).
  const formsCache = new Map<number, BallotForm[]>();
  function formsOf(sittingId: number): BallotForm[] {
    let forms = formsCache.get(sittingId);
    if (!forms) formsCache.set(sittingId, (forms = JSON.parse(findForms.get({ id: sittingId })!.forms) as BallotForm[]));
    return forms;
  }

  /**
   * Real slips vote while the sitting is open; practice slips (dry run) only during its
   * rehearsal, before it opens: in an open sitting a practice ballot could single a voter out.
   */
  function requireVoting(status: SittingStatus, dryRun: boolean): void {
    if (allows(dryRun ? 'votePractice' : 'vote', status)) return;
    if (status === 'draft' || (!dryRun && status === 'rehearsal')) throw new ApiError(423, 'sitting_not_open');
    throw new ApiError(423, dryRun ? 'rehearsal_over' : 'sitting_closed');
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
          const problems = checkAnswers(forms, answers);
          if (problems.length > 0) throw new ApiError(422, 'invalid_answers', { problems: problems.slice(0, 50) });
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

export type BallotBox = ReturnType<typeof createBallotBox>;

/**
 * Answers rewritten in the forms' own order, blanks dropped: what is stored says what the voter
 * chose, not the order in which they tapped.
 */
export function canonicalAnswers(forms: readonly BallotForm[], answers: Answers): Answers {
  const out: Answers = {};
  for (const form of forms) {
    const given = answers[form.id];
    if (!given) continue;
    const formOut: Answers[string] = {};
    for (const subject of form.subjects) {
      const subjectAnswers = given[String(subject.id)];
      if (!subjectAnswers) continue;
      const subjectOut: Record<string, string> = {};
      for (const q of form.questions) {
        const value = subjectAnswers[q.id];
        if (value !== undefined) subjectOut[q.id] = value;
      }
      if (Object.keys(subjectOut).length > 0) formOut[String(subject.id)] = subjectOut;
    }
    if (Object.keys(formOut).length > 0) out[form.id] = formOut;
  }
  return out;
}
