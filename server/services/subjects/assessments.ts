import { asc, eq } from 'drizzle-orm';
import type { Db } from '../../db/open';
import { assessments, sittings } from '../../db/schema';
import type { SittingFlag } from '../../../shared/sitting';
import { ApiError } from '../../http/errors';
import { appendAudit } from '../audit/audit';

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

/** The flags are stored as JSON text (null until the close) and sent as the list they are. */
export function listSittings(db: Db, assessmentId: number) {
  return db
    .select({ id: sittings.id, name: sittings.name, status: sittings.status, k: sittings.k, flags: sittings.flags })
    .from(sittings)
    .where(eq(sittings.assessmentId, assessmentId))
    .orderBy(asc(sittings.id))
    .all()
    .map((s) => ({ ...s, flags: s.flags ? (JSON.parse(s.flags) as SittingFlag[]) : [] }));
}

