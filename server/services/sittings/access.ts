import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/open';
import { sittingOrganisers, users } from '../../db/schema';
import { ApiError } from '../../http/errors';
import type { SessionUser } from '../accounts/accounts';
import { appendAudit } from '../audit/audit';
import { getSitting } from './sittings';

/** Admins reach every sitting; organisers only those assigned to them. */
export function assertCanWatch(db: Db, user: SessionUser, sittingId: number): void {
  if (user.role === 'admin') return;
  const assigned = db
    .select()
    .from(sittingOrganisers)
    .where(and(eq(sittingOrganisers.sittingId, sittingId), eq(sittingOrganisers.userId, user.id)))
    .get();
  if (!assigned) throw new ApiError(403, 'forbidden');
}

/** Lets an organiser watch a sitting and print its slips; assigning twice is harmless (and audited). */
export function assignOrganiser(db: Db, actor: string, sittingId: number, userId: number): void {
  getSitting(db, sittingId);
  const user = db.select().from(users).where(eq(users.id, userId)).get();
  if (!user || user.role !== 'organiser') throw new ApiError(400, 'invalid_request', { issues: [{ path: 'userId', message: 'not an organiser' }] });
  db.transaction(
    (tx) => {
      tx.insert(sittingOrganisers).values({ sittingId, userId }).onConflictDoNothing().run();
      appendAudit(tx, actor, 'sitting.assign_organiser', `sitting:${sittingId}`, { userId });
    },
    { behavior: 'immediate' },
  );
}
