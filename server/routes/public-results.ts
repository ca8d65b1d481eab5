import { Hono } from 'hono';
import type { Db } from '../db/open';
import { idParam } from '../http/validate';
import { publishedAggregates } from '../services/grading';

/** The published aggregates of an assessment: counts per grade per category, nothing per subject. */
export function publicResultRoutes(db: Db) {
  return new Hono().get('/assessments/:id/results', (c) => c.json(publishedAggregates(db, idParam(c.req.param('id'))), 200));
}
