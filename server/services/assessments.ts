import { asc, eq, inArray, and } from 'drizzle-orm';
import type { SubjectInput } from '../../shared/api';
import type { Db } from '../db/open';
import { assessments, sittings, subjects } from '../db/schema';
import { ApiError } from '../http/errors';
import { appendAudit } from './audit';

export function createAssessment(db: Db, actor: string, name: string, year: number): number {
  return db.transaction(
    (tx) => {
      const { id } = tx.insert(assessments).values({ name, year, createdAt: Date.now() }).returning({ id: assessments.id }).get();
      appendAudit(tx, actor, 'assessment.create', `assessment:${id}`, { name, year });
      return id;
    },
    { behavior: 'immediate' },
  );
}

export function getAssessment(db: Db, id: number) {
  const row = db.select().from(assessments).where(eq(assessments.id, id)).get();
  if (!row) throw new ApiError(404, 'unknown_assessment');
  return row;
}

export function listAssessments(db: Db) {
  return db.select().from(assessments).orderBy(asc(assessments.id)).all();
}

export function listSubjects(db: Db, assessmentId: number) {
  return db.select().from(subjects).where(eq(subjects.assessmentId, assessmentId)).orderBy(asc(subjects.id)).all();
}

export function listSittings(db: Db, assessmentId: number) {
  return db
    .select({ id: sittings.id, name: sittings.name, status: sittings.status, k: sittings.k, flags: sittings.flags })
    .from(sittings)
    .where(eq(sittings.assessmentId, assessmentId))
    .orderBy(asc(sittings.id))
    .all();
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
