import { Hono } from 'hono';
import type { Db } from '../db/open';
import { idParam } from '../http/validate';
import { publishedAuditHead } from '../services/audit';
import { publishedAggregates } from '../services/grading';

/** The published aggregates of an assessment: counts per grade per category, nothing per subject; and the audit head. */
export function publicResultRoutes(db: Db) {
  return new Hono().get('/assessments/:id/results', (c) => c.json({ ...publishedAggregates(db, idParam(c.req.param('id'))), auditHead: publishedAuditHead(db) }, 200));
}
