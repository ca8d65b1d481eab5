import { Hono } from 'hono';
import { CreateUserRequest } from '../../shared/api';
import { UsersResponse } from '../../shared/contract/admin';
import { CreatedId } from '../../shared/contract/common';
import type { Db } from '../db/database';
import { requireRole, type AuthEnv } from '../http/auth';
import { endpoint } from '../http/route';
import { jsonBody } from '../http/validate';
import { createUser, listUsers } from '../services/accounts/accounts';

const list = endpoint({ summary: 'Accounts (admin only)', responses: { 200: UsersResponse } });
const create = endpoint({ summary: 'Create an admin or organiser account', errors: { 409: ['username_taken'] }, responses: { 201: CreatedId } });

/** /api/admin/users: admins manage accounts; assigning organisers to sittings is under /admin/sittings. */
export function userRoutes(db: Db) {
  const adminOnly = requireRole(db, 'admin');
  return new Hono<AuthEnv>()
    .get('/', adminOnly, list.doc, async (c) => list.json(c, { users: await listUsers(db) }, 200))
    .post('/', adminOnly, create.doc, jsonBody(CreateUserRequest), async (c) => {
      const { username, password, role } = c.req.valid('json');
      return create.json(c, { id: await createUser(db, c.var.user.username, username, password, role) }, 201);
    });
}
