import { Hono } from 'hono';
import { PublishedResultsResponse, ReceiptBoardResponse } from '../../shared/contract/public';
import type { Db } from '../db/database';
import { endpoint } from '../http/route';
import { idParam } from '../http/validate';
import { publishedAuditHead } from '../services/audit/audit';
import { publishedAggregates } from '../services/grading/grading';
import { receiptBoard } from '../services/sittings/sittings';

const receipts = endpoint({
  summary: 'Receipt board of a closed sitting, sorted, with the current audit head',
  errors: { 404: ['unknown_sitting'], 409: ['sitting_not_closed'] },
  responses: { 200: ReceiptBoardResponse },
});
const results = endpoint({
  summary: 'Published aggregates: counts per grade per category, change on the previous year; the current audit head',
  errors: { 404: ['not_published', 'unknown_assessment'] },
  responses: { 200: PublishedResultsResponse },
});

/** /api/public: what anyone may read, each with the audit head to write down. */
export function publicRoutes(db: Db) {
  return new Hono()
    .get('/sittings/:id/receipts', receipts.doc, async (c) => receipts.json(c, { receipts: await receiptBoard(db, idParam(c.req.param('id'))), auditHead: await publishedAuditHead(db) }, 200))
    .get('/assessments/:id/results', results.doc, async (c) => results.json(c, { ...(await publishedAggregates(db, idParam(c.req.param('id')))), auditHead: await publishedAuditHead(db) }, 200));
}
