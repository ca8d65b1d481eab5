import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/open';
import { sittingOrganisers } from '../db/schema';
import { ApiError } from '../http/errors';
import type { SessionUser } from './accounts';

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
