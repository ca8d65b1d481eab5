import { eq } from 'drizzle-orm';
import { Hono } from 'hono';
import { AssignOrganiserRequest, CreateUserRequest } from '../../shared/api';
import type { Db } from '../db/open';
import { sittingOrganisers, users } from '../db/schema';
import { requireRole, type AuthEnv } from '../http/auth';
import { ApiError } from '../http/errors';
import { idParam, jsonBody } from '../http/validate';
import { createUser } from '../services/accounts';
import { appendAudit } from '../services/audit';
import { getSitting } from '../services/sittings';

/** Admins manage organiser (and admin) accounts and assign organisers to sittings. */
export function userRoutes(db: Db) {
  // Mounted beside other /admin groups: the role check is per route, not a catch-all use().
  const adminOnly = requireRole(db, 'admin');
  return new Hono<AuthEnv>()
    .get('/users', adminOnly, (c) => c.json({ users: db.select({ id: users.id, username: users.username, role: users.role }).from(users).all() }, 200))
    .post('/users', adminOnly, jsonBody(CreateUserRequest), async (c) => {
      const { username, password, role } = c.req.valid('json');
      if (db.select({ id: users.id }).from(users).where(eq(users.username, username)).get()) {
        throw new ApiError(409, 'username_taken');
      }
      return c.json({ id: await createUser(db, c.var.user.username, username, password, role) }, 201);
    })
    .post('/sittings/:id/organisers', adminOnly, jsonBody(AssignOrganiserRequest), (c) => {
      const sittingId = idParam(c.req.param('id'));
      const { userId } = c.req.valid('json');
      getSitting(db, sittingId);
      const user = db.select().from(users).where(eq(users.id, userId)).get();
      if (!user || user.role !== 'organiser') throw new ApiError(400, 'invalid_request', { issues: [{ path: 'userId', message: 'not an organiser' }] });
      db.transaction(
        (tx) => {
          tx.insert(sittingOrganisers).values({ sittingId, userId }).onConflictDoNothing().run();
          appendAudit(tx, c.var.user.username, 'sitting.assign_organiser', `sitting:${sittingId}`, { userId });
        },
        { behavior: 'immediate' },
      );
      return c.json({ ok: true }, 200);
    });
}
