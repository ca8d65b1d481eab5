import { and, asc, eq, inArray } from 'drizzle-orm';
import type { SubjectInput, UpdateSubjectRequest } from '../../../shared/api';
import type { Db } from '../../db/open';
import { sittings, subjects } from '../../db/schema';
import { ApiError } from '../../http/errors';
import { appendAudit } from '../audit/audit';
import { sittingForms } from '../sittings/sittings';
import { getAssessment } from './assessments';

/** The people and teams an assessment evaluates: listed, added, edited and deleted here. */

export function listSubjects(db: Db, assessmentId: number) {
  return db.select().from(subjects).where(eq(subjects.assessmentId, assessmentId)).orderBy(asc(subjects.id)).all();
}

/** Adds subjects; a key already used in the assessment (or twice in the list) refuses the whole list. */
export function addSubjects(db: Db, actor: string, assessmentId: number, list: SubjectInput[]) {
  getAssessment(db, assessmentId);
  const keys = list.map((s) => s.key);
  const repeated = keys.filter((k, i) => keys.indexOf(k) !== i);
  return db.transaction(
    (tx) => {
      const existing = tx
        .select({ key: subjects.key })
        .from(subjects)
        .where(and(eq(subjects.assessmentId, assessmentId), inArray(subjects.key, keys)))
        .all()
        .map((r) => r.key);
      const clashes = [...new Set([...repeated, ...existing])];
      if (clashes.length > 0) throw new ApiError(409, 'duplicate_subject_key', { keys: clashes.slice(0, 50) });
      const created = list.map((s) =>
        tx
          .insert(subjects)
          .values({
            assessmentId,
            key: s.key,
            kind: s.kind,
            name: s.name,
            title: s.title ?? '',
            category: s.category ?? null,
            type: s.type ?? null,
            teamKey: s.teamKey ?? null,
            role: s.role ?? null,
          })
          .returning()
          .get(),
      );
      appendAudit(tx, actor, 'subjects.add', `assessment:${assessmentId}`, { count: created.length });
      return created;
    },
    { behavior: 'immediate' },
  );
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

