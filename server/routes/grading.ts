import { Hono } from 'hono';
import { PolicyResponse } from '../../shared/contract/grading';
import { GradingPolicySchema } from '../../shared/grading-api';
import type { Db } from '../db/database';
import { requireRole, type AuthEnv } from '../http/auth';
import { endpoint } from '../http/route';
import { jsonBody } from '../http/validate';
import { policyInForce, savePolicy } from '../services/grading/grading';

/** /api/admin/grading: the grading policy (GRADING.md), one for all assessments. Admins only. */
export function gradingRoutes(db: Db) {
  const adminOnly = requireRole(db, 'admin');
  const current = endpoint({ summary: 'The grading policy in force (GRADING.md defaults until one is saved)', responses: { 200: PolicyResponse } });
  const save = endpoint({ summary: 'Save a new version of the grading policy', errors: { 400: ['invalid_policy'] }, responses: { 201: PolicyResponse } });

  return new Hono<AuthEnv>()
    .get('/policy', adminOnly, current.doc, async (c) => current.json(c, { policy: await policyInForce(db) }, 200))
    .post('/policy', adminOnly, save.doc, jsonBody(GradingPolicySchema), async (c) => save.json(c, { policy: await savePolicy(db, c.var.user.username, c.req.valid('json')) }, 201));
}
