import { and, asc, eq, inArray } from 'drizzle-orm';
import type { SubjectInput, UpdateSubjectRequest } from '../../../shared/api';
import type { Db, Queryable } from '../../db/database';
import { sittings, subjects } from '../../db/tables';
import { ApiError } from '../../http/errors';
import { appendAudit } from '../audit/audit';
import { sittingForms } from '../sittings/sittings';
import { getAssessment } from './assessments';

/** The people and teams an assessment evaluates: listed, added, edited and deleted here. */

export async function listSubjects(db: Queryable, assessmentId: number) {
  return db.select().from(subjects).where(eq(subjects.assessmentId, assessmentId)).orderBy(asc(subjects.id));
}

/** Adds subjects; a key already used in the assessment (or twice in the list) refuses the whole list. */
export async function addSubjects(db: Db, actor: string, assessmentId: number, list: SubjectInput[]) {
  await getAssessment(db, assessmentId);
  const keys = list.map((s) => s.key);
  const repeated = keys.filter((k, i) => keys.indexOf(k) !== i);
  return db.transaction(async (tx) => {
    const existing = (
      await tx
        .select({ key: subjects.key })
        .from(subjects)
        .where(and(eq(subjects.assessmentId, assessmentId), inArray(subjects.key, keys)))
    ).map((r) => r.key);
    const clashes = [...new Set([...repeated, ...existing])];
    if (clashes.length > 0) throw new ApiError(409, 'duplicate_subject_key', { keys: clashes.slice(0, 50) });
    // One at a time, in the list's order: the ids (and so every later listing) follow it.
    const created: (typeof subjects.$inferSelect)[] = [];
    for (const s of list) {
      const [row] = await tx
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
        .returning();
      created.push(row!);
    }
    await appendAudit(tx, actor, 'subjects.add', `assessment:${assessmentId}`, { count: created.length });
    return created;
  });
}

async function subjectRow(db: Queryable, id: number) {
  const [row] = await db.select().from(subjects).where(eq(subjects.id, id)).limit(1);
  if (!row) throw new ApiError(404, 'unknown_subject');
  return row;
}

/** Sitting ids whose frozen forms list the subject. */
async function sittingsUsing(db: Queryable, assessmentId: number, subjectId: number): Promise<number[]> {
  const rows = await db
    .select({ id: sittings.id, forms: sittings.forms })
    .from(sittings)
    .where(eq(sittings.assessmentId, assessmentId))
    .orderBy(asc(sittings.id));
  return rows.filter((s) => sittingForms(s).some((f) => f.subjects.some((x) => x.id === subjectId))).map((s) => s.id);
}

/**
 * Edits a subject after import. Sittings keep the names frozen in their forms; a key stays
 * unique within the assessment.
 */
export async function updateSubject(db: Db, actor: string, id: number, patch: UpdateSubjectRequest) {
  return db.transaction(async (tx) => {
    const before = await subjectRow(tx, id);
    if (patch.key !== undefined && patch.key !== before.key) {
      const [clash] = await tx
        .select({ id: subjects.id })
        .from(subjects)
        .where(and(eq(subjects.assessmentId, before.assessmentId), eq(subjects.key, patch.key)))
        .limit(1);
      if (clash) throw new ApiError(409, 'duplicate_subject_key', { keys: [patch.key] });
    }
    const changes = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as Partial<typeof subjects.$inferInsert>;
    if (Object.keys(changes).length === 0) return before;
    const [after] = await tx.update(subjects).set(changes).where(eq(subjects.id, id)).returning();
    await appendAudit(tx, actor, 'subject.update', `subject:${id}`, { assessmentId: before.assessmentId, changes });
    return after!;
  });
}

/** Deletes a subject that no sitting uses. */
export async function deleteSubject(db: Db, actor: string, id: number): Promise<void> {
  await db.transaction(async (tx) => {
    const row = await subjectRow(tx, id);
    const used = await sittingsUsing(tx, row.assessmentId, id);
    if (used.length > 0) throw new ApiError(409, 'subject_in_use', { sittings: used });
    await tx.delete(subjects).where(eq(subjects.id, id));
    await appendAudit(tx, actor, 'subject.delete', `subject:${id}`, { assessmentId: row.assessmentId, key: row.key, name: row.name });
  });
}

export async function existingSubjectKeys(db: Queryable, assessmentId: number) {
  const rows = await db.select({ key: subjects.key, kind: subjects.kind }).from(subjects).where(eq(subjects.assessmentId, assessmentId));
  return { keys: new Set(rows.map((r) => r.key)), teamKeys: new Set(rows.filter((r) => r.kind === 'team').map((r) => r.key)) };
}
