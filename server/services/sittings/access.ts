import { and, eq } from 'drizzle-orm';
import type { Db, Queryable } from '../../db/database';
import { sittingOrganisers, users } from '../../db/tables';
import { ApiError } from '../../http/errors';
import type { SessionUser } from '../accounts/accounts';
import { appendAudit } from '../audit/audit';
import { getSitting } from './sittings';

/** Admins reach every sitting; organisers only those assigned to them. */
export async function assertCanWatch(db: Queryable, user: SessionUser, sittingId: number): Promise<void> {
  if (user.role === 'admin') return;
  const [assigned] = await db
    .select()
    .from(sittingOrganisers)
    .where(and(eq(sittingOrganisers.sittingId, sittingId), eq(sittingOrganisers.userId, user.id)))
    .limit(1);
  if (!assigned) throw new ApiError(403, 'forbidden');
}

/** Lets an organiser watch a sitting and print its slips; assigning twice is harmless (and audited). */
export async function assignOrganiser(db: Db, actor: string, sittingId: number, userId: number): Promise<void> {
  await getSitting(db, sittingId);
  const [user] = await db.select().from(users).where(eq(users.id, userId)).limit(1);
  if (!user || user.role !== 'organiser') throw new ApiError(400, 'invalid_request', { issues: [{ path: 'userId', message: 'not an organiser' }] });
  await db.transaction(async (tx) => {
    await tx.insert(sittingOrganisers).values({ sittingId, userId }).onConflictDoNothing();
    await appendAudit(tx, actor, 'sitting.assign_organiser', `sitting:${sittingId}`, { userId });
  });
}
