import { and, asc, desc, eq, inArray, lt, sql } from 'drizzle-orm';
import type { UpdateSubjectRequest } from '../../shared/api';
import type { Db } from '../db/open';
import { assessments, auditLog, sittingGroups, sittingOrganisers, sittings, subjects, tokenBatches, tokens, turnoutMinutes, users } from '../db/schema';
import { ApiError } from '../http/errors';
import type { SessionUser } from './accounts';
import { appendAudit, verifyAuditChain } from './audit';
import { purgeRehearsal } from './layout';
import { getSitting, requireAct, sittingForms } from './sittings';
import type { PrintQueue } from './slips';

/** The sittings a user may see: all for an admin, the assigned ones for an organiser. */
export function visibleSittings(db: Db, user: SessionUser) {
  const query = db
    .select({ id: sittings.id, name: sittings.name, status: sittings.status, assessmentId: sittings.assessmentId, assessmentName: assessments.name, year: assessments.year })
    .from(sittings)
    .innerJoin(assessments, eq(assessments.id, sittings.assessmentId));
  const rows =
    user.role === 'admin'
      ? query.orderBy(desc(sittings.id)).all()
      : query
          .where(inArray(sittings.id, db.select({ id: sittingOrganisers.sittingId }).from(sittingOrganisers).where(eq(sittingOrganisers.userId, user.id))))
          .orderBy(desc(sittings.id))
          .all();
  return rows;
}

/** What the sitting page needs beside the sitting itself: groups, batches, organisers. */
export function sittingOverview(db: Db, user: SessionUser, id: number, printQueue: PrintQueue) {
  const sitting = getSitting(db, id);
  const groups = db
    .select({ name: sittingGroups.name, weight: sittingGroups.weight })
    .from(sittingGroups)
    .where(eq(sittingGroups.sittingId, id))
    .orderBy(asc(sittingGroups.position))
    .all();
  const batches = db
    .select({ id: tokenBatches.id, voterGroup: tokenBatches.voterGroup, count: tokenBatches.count, dryRun: tokenBatches.dryRun, printed: tokenBatches.printed, createdAt: tokenBatches.createdAt })
    .from(tokenBatches)
    .where(eq(tokenBatches.sittingId, id))
    .orderBy(asc(tokenBatches.id))
    .all()
    .map((b) => ({ ...b, printable: printQueue.get(b.id) !== undefined }));
  const organisers =
    user.role === 'admin'
      ? db
          .select({ id: users.id, username: users.username })
          .from(sittingOrganisers)
          .innerJoin(users, eq(users.id, sittingOrganisers.userId))
          .where(eq(sittingOrganisers.sittingId, id))
          .orderBy(asc(users.username))
          .all()
      : [];
  const subjectCount = new Set(sittingForms(sitting).flatMap((f) => f.subjects.map((s) => s.id))).size;
  return { groups, batches, organisers, subjectCount, assessmentId: sitting.assessmentId };
}

/**
 * Removes a rehearsal: the dry-run tokens, ballots, batches and counters of a sitting, in one
 * audited transaction. Real slips and ballots are untouched.
 */
export function clearDryRun(db: Db, actor: string, id: number): { tokens: number; ballots: number } {
  return db.transaction(
    (tx) => {
      const sitting = getSitting(db, id);
      requireAct(sitting, 'clearRehearsal');
      const removedTokens = tx.delete(tokens).where(and(eq(tokens.sittingId, id), eq(tokens.dryRun, true))).run().changes;
      const removedBallots = purgeRehearsal(tx, id);
      tx.delete(tokenBatches).where(and(eq(tokenBatches.sittingId, id), eq(tokenBatches.dryRun, true))).run();
      tx.delete(turnoutMinutes).where(and(eq(turnoutMinutes.sittingId, id), eq(turnoutMinutes.dryRun, true))).run();
      tx.update(sittingGroups).set({ dryRunIssued: 0, dryRunUsed: 0 }).where(eq(sittingGroups.sittingId, id)).run();
      appendAudit(tx, actor, 'sitting.clear_dry_run', `sitting:${id}`, { tokens: removedTokens, ballots: removedBallots });
      return { tokens: removedTokens, ballots: removedBallots };
    },
    { behavior: 'immediate' },
  );
}

/** Ballots per minute (aggregate counters), real and dry-run apart. */
export function turnoutByMinute(db: Db, id: number) {
  const rows = db
    .select({ minute: turnoutMinutes.minute, dryRun: turnoutMinutes.dryRun, ballots: turnoutMinutes.ballots })
    .from(turnoutMinutes)
    .where(eq(turnoutMinutes.sittingId, id))
    .orderBy(asc(turnoutMinutes.minute))
    .all();
  return {
    minutes: rows.filter((r) => !r.dryRun).map((r) => ({ minute: r.minute, ballots: r.ballots })),
    dryRun: rows.filter((r) => r.dryRun).map((r) => ({ minute: r.minute, ballots: r.ballots })),
  };
}

function subjectRow(db: Db, id: number) {
  const row = db.select().from(subjects).where(eq(subjects.id, id)).get();
  if (!row) throw new ApiError(404, 'unknown_subject');
  return row;
}

/** Sitting ids whose frozen forms list the subject. */
function sittingsUsing(db: Db, assessmentId: number, subjectId: number): number[] {
  return db
    .select({ id: sittings.id, forms: sittings.forms })
    .from(sittings)
    .where(eq(sittings.assessmentId, assessmentId))
    .all()
    .filter((s) => sittingForms(s).some((f) => f.subjects.some((x) => x.id === subjectId)))
    .map((s) => s.id);
}

/**
 * Edits a subject after import. Sittings keep the names frozen in their forms; a key stays
 * unique within the assessment.
 */
export function updateSubject(db: Db, actor: string, id: number, patch: UpdateSubjectRequest) {
  return db.transaction(
    (tx) => {
      const before = subjectRow(db, id);
      if (patch.key !== undefined && patch.key !== before.key) {
        const clash = tx.select({ id: subjects.id }).from(subjects).where(and(eq(subjects.assessmentId, before.assessmentId), eq(subjects.key, patch.key))).get();
        if (clash) throw new ApiError(409, 'duplicate_subject_key', { keys: [patch.key] });
      }
      const changes = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as Partial<typeof subjects.$inferInsert>;
      if (Object.keys(changes).length === 0) return before;
      const after = tx.update(subjects).set(changes).where(eq(subjects.id, id)).returning().get();
      appendAudit(tx, actor, 'subject.update', `subject:${id}`, { assessmentId: before.assessmentId, changes });
      return after;
    },
    { behavior: 'immediate' },
  );
}

/** Deletes a subject that no sitting uses. */
export function deleteSubject(db: Db, actor: string, id: number): void {
  db.transaction(
    (tx) => {
      const row = subjectRow(db, id);
      const used = sittingsUsing(db, row.assessmentId, id);
      if (used.length > 0) throw new ApiError(409, 'subject_in_use', { sittings: used });
      tx.delete(subjects).where(eq(subjects.id, id)).run();
      appendAudit(tx, actor, 'subject.delete', `subject:${id}`, { assessmentId: row.assessmentId, key: row.key, name: row.name });
    },
    { behavior: 'immediate' },
  );
}

export function existingSubjectKeys(db: Db, assessmentId: number) {
  const rows = db.select({ key: subjects.key, kind: subjects.kind }).from(subjects).where(eq(subjects.assessmentId, assessmentId)).all();
  return { keys: new Set(rows.map((r) => r.key)), teamKeys: new Set(rows.filter((r) => r.kind === 'team').map((r) => r.key)) };
}

/** A page of the audit log, newest first, with the result of verifying the whole chain. */
export function auditPage(db: Db, options: { before?: number; limit: number }) {
  const where = options.before !== undefined ? lt(auditLog.seq, options.before) : undefined;
  const entries = db.select().from(auditLog).where(where).orderBy(desc(auditLog.seq)).limit(options.limit).all();
  const total = db.select({ n: sql<number>`count(*)` }).from(auditLog).get()!.n;
  return { entries, total, broken: verifyAuditChain(db) };
}
