import { Hono } from 'hono';
import * as z from 'zod/mini';
import { AuditPageResponse } from '../../shared/contract/audit';
import type { Db } from '../db/database';
import { requireRole, type AuthEnv } from '../http/auth';
import { endpoint } from '../http/route';
import { queryParams } from '../http/validate';
import { auditPage } from '../services/audit/audit';

const count = z.string().check(z.regex(/^[1-9][0-9]{0,9}$/));
const AuditQuery = z.object({ before: z.optional(count), limit: z.optional(z.string().check(z.regex(/^[1-9][0-9]{0,3}$/))) });

const page = endpoint({ summary: 'Audit log, newest first (?before=seq&limit=n, at most 500), with the chain verification', responses: { 200: AuditPageResponse } });

/** /api/admin/audit: the hash-chained log, newest first, with its verification (admins only). */
export function auditRoutes(db: Db) {
  return new Hono<AuthEnv>().get('/', requireRole(db, 'admin'), page.doc, queryParams(AuditQuery), async (c) => {
    const { before, limit } = c.req.valid('query');
    return page.json(c, await auditPage(db, { ...(before ? { before: Number(before) } : {}), limit: Math.min(500, Number(limit ?? '100')) }), 200);
  });
}
