import { and, asc, count, eq, sql } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import type * as z from 'zod/mini';
import { checkAnswers } from '../../../shared/answers';
import type { EntryDifferenceSchema } from '../../../shared/contract/paper';
import type { Answers, BallotDefinition } from '../../../shared/forms';
import type { PaperPending } from '../../../shared/sitting';
import type { BallotBox, Db, Queryable, Tx } from '../../db/database';
import { paperEntries, sittings } from '../../db/tables';
import { ApiError } from '../../http/errors';
import type { SessionUser } from '../accounts/accounts';
import { appendAudit } from '../audit/audit';
import { hashToken } from '../crypto';
import { turnoutEvents } from '../sittings/turnout';
import { canonicalAnswers } from './ballot-rules';

type Difference = z.output<typeof EntryDifferenceSchema>;
export type EntryOutcome = { status: 'awaiting_second' } | { status: 'cast' } | { status: 'conflict'; differences: Difference[] };

/** The cells (form, subject, question) where two entries of one ballot differ. */
export function differences(a: Answers, b: Answers): Difference[] {
  const out: Difference[] = [];
  const keys = (...objects: (Record<string, unknown> | undefined)[]) => [...new Set(objects.flatMap((o) => Object.keys(o ?? {})))].sort();
  for (const form of keys(a, b)) {
    for (const subject of keys(a[form], b[form])) {
      for (const question of keys(a[form]?.[subject], b[form]?.[subject])) {
        if (a[form]?.[subject]?.[question] !== b[form]?.[subject]?.[question]) out.push({ form, subject, question });
      }
    }
  }
  return out;
}

/**
 * Double entry of paper ballots (双人录入). A paper ballot is its slip: two different clerks
 * type it in, and only when their entries agree is it cast, through the same ballot box as a
 * phone's ballot (the token is spent once, either way). Entries wait apart from ballots and
 * are deleted once the ballot is cast; a clerk's answer never shows the other entry.
 */
export function createPaperDesk(db: Db, box: BallotBox) {
  /** The slip's ballot, checked as the voter API checks it, and the answers as a ballot stores them. */
  async function checked(sittingId: number, token: string, answers: Answers): Promise<{ definition: BallotDefinition; canonical: Answers }> {
    const definition = await box.ballotFor(token);
    // A slip of another sitting is as unknown here as a wrong code.
    if (definition.sitting.id !== sittingId) throw new ApiError(404, 'unknown_token');
    const problems = checkAnswers(definition.forms, answers);
    if (problems.length > 0) throw new ApiError(422, 'invalid_answers', { problems: problems.slice(0, 50) });
    return { definition, canonical: canonicalAnswers(definition.forms, answers) };
  }

  /**
   * Casts the agreed answers and forgets the entries, in one transaction. The sitting's paper
   * counter (the reconciliation's `paper`) counts real ballots; a rehearsal's are purged at open.
   */
  async function cast(tx: Tx, sittingId: number, token: string, answers: Answers, tokenHash: string, rehearsal: boolean): Promise<void> {
    await box.castIn(tx, token, randomUUID(), answers);
    await tx.delete(paperEntries).where(eq(paperEntries.tokenHash, tokenHash));
    if (!rehearsal) await tx.update(sittings).set({ paperBallots: sql`${sittings.paperBallots} + 1` }).where(eq(sittings.id, sittingId));
  }

  return {
    async enter(clerk: SessionUser, sittingId: number, token: string, answers: Answers): Promise<EntryOutcome> {
      const { definition, canonical } = await checked(sittingId, token, answers);
      const tokenHash = hashToken(token);
      const text = JSON.stringify(canonical);
      const outcome = await db.transaction(async (tx): Promise<EntryOutcome> => {
        // In the primary key's order, as SQLite's index gave them (an order differences() does not depend on).
        const entries = await tx.select().from(paperEntries).where(eq(paperEntries.tokenHash, tokenHash)).orderBy(asc(paperEntries.clerkId));
        if (entries.some((e) => e.clerkId === clerk.id)) throw new ApiError(409, 'same_clerk');
        // Two entries that disagree wait for an admin; a third clerk changes nothing.
        if (entries.length >= 2) return { status: 'conflict', differences: differences(JSON.parse(entries[0]!.answers), JSON.parse(entries[1]!.answers)) };
        if (entries.length === 0) {
          await tx.insert(paperEntries).values({ sittingId, tokenHash, clerkId: clerk.id, answers: text });
          return { status: 'awaiting_second' };
        }
        const first = entries[0]!;
        if (first.answers === text) {
          await cast(tx, sittingId, token, canonical, tokenHash, definition.rehearsal);
          await appendAudit(tx, clerk.username, 'paper.cast', `sitting:${sittingId}`, {});
          return { status: 'cast' };
        }
        await tx.insert(paperEntries).values({ sittingId, tokenHash, clerkId: clerk.id, answers: text });
        await appendAudit(tx, clerk.username, 'paper.conflict', `sitting:${sittingId}`, {});
        return { status: 'conflict', differences: differences(JSON.parse(first.answers), canonical) };
      });
      if (outcome.status === 'cast') turnoutEvents(db).changed(sittingId);
      return outcome;
    },

    /** An admin settles a conflict with the answers on the paper; audited, without the token or the answers. */
    async resolve(actor: string, sittingId: number, token: string, answers: Answers): Promise<void> {
      const { definition, canonical } = await checked(sittingId, token, answers);
      const tokenHash = hashToken(token);
      await db.transaction(async (tx) => {
        const entries = await tx.select({ clerkId: paperEntries.clerkId }).from(paperEntries).where(and(eq(paperEntries.tokenHash, tokenHash), eq(paperEntries.sittingId, sittingId)));
        if (entries.length < 2) throw new ApiError(404, 'no_paper_conflict');
        await cast(tx, sittingId, token, canonical, tokenHash, definition.rehearsal);
        await appendAudit(tx, actor, 'paper.resolve', `sitting:${sittingId}`, {});
      });
      turnoutEvents(db).changed(sittingId);
    },
  };
}

export type PaperDesk = ReturnType<typeof createPaperDesk>;

/** Paper ballots of a sitting entered but not cast: by one clerk so far, or by two who disagree. */
export async function pendingPaper(db: Queryable, sittingId: number): Promise<PaperPending> {
  const slips = await db
    .select({ entries: count() })
    .from(paperEntries)
    .where(eq(paperEntries.sittingId, sittingId))
    .groupBy(paperEntries.tokenHash);
  return { awaitingSecond: slips.filter((s) => s.entries === 1).length, conflicts: slips.filter((s) => s.entries > 1).length };
}

/**
 * Discards them, inside the closing transaction once the admin has confirmed it: audited as
 * counts, never which slips or what they said. Their slips stay unspent: counted as unused.
 */
export async function discardPendingPaper(tx: Tx, actor: string, sittingId: number, pending: PaperPending): Promise<void> {
  await tx.delete(paperEntries).where(eq(paperEntries.sittingId, sittingId));
  await appendAudit(tx, actor, 'paper.discard_pending', `sitting:${sittingId}`, { ...pending });
}
