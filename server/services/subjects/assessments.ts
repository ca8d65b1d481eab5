import { asc, eq } from 'drizzle-orm';
import type { Db, Queryable } from '../../db/database';
import { assessments, sittings } from '../../db/tables';
import type { SittingFlag } from '../../../shared/sitting';
import { ApiError } from '../../http/errors';
import { appendAudit } from '../audit/audit';

export async function createAssessment(db: Db, actor: string, name: string, year: number): Promise<number> {
  return db.transaction(async (tx) => {
    const [created] = await tx.insert(assessments).values({ name, year, createdAt: Date.now() }).returning({ id: assessments.id });
    const { id } = created!;
    await appendAudit(tx, actor, 'assessment.create', `assessment:${id}`, { name, year });
    return id;
  });
}

export async function getAssessment(db: Queryable, id: number) {
  const [row] = await db.select().from(assessments).where(eq(assessments.id, id)).limit(1);
  if (!row) throw new ApiError(404, 'unknown_assessment');
  return row;
}

export async function listAssessments(db: Queryable) {
  return db.select().from(assessments).orderBy(asc(assessments.id));
}

/** The flags are stored as JSON text (null until the close) and sent as the list they are. */
export async function listSittings(db: Queryable, assessmentId: number) {
  const rows = await db
    .select({ id: sittings.id, name: sittings.name, status: sittings.status, k: sittings.k, flags: sittings.flags })
    .from(sittings)
    .where(eq(sittings.assessmentId, assessmentId))
    .orderBy(asc(sittings.id));
  return rows.map((s) => ({ ...s, flags: s.flags ? (JSON.parse(s.flags) as SittingFlag[]) : [] }));
}
