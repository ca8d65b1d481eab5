import { Hono } from 'hono';
import type { Db } from '../db/open';
import { idParam } from '../http/validate';
import { publishedAuditHead } from '../services/audit';
import { receiptBoard } from '../services/sittings';

/** What anyone may read: the receipt board of a closed sitting, with the audit head to write down. */
export function publicRoutes(db: Db) {
  return new Hono().get('/sittings/:id/receipts', (c) => c.json({ receipts: receiptBoard(db, idParam(c.req.param('id'))), auditHead: publishedAuditHead(db) }, 200));
}
