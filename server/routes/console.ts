import { Hono, type Context, type Next } from 'hono';
import { UpdateSubjectRequest } from '../../shared/api';
import type { Db } from '../db/open';
import { requireRole, type AuthEnv } from '../http/auth';
import { attachment, postRequired } from '../http/download';
import { ApiError } from '../http/errors';
import { assertCanWatch } from '../services/access';
import { idParam, jsonBody } from '../http/validate';
import { addSubjects, getAssessment, listSubjects } from '../services/assessments';
import { appendAudit, publishedAuditHead } from '../services/audit';
import { auditPage, clearDryRun, deleteSubject, existingSubjectKeys, sittingOverview, turnoutByMinute, updateSubject, visibleSittings } from '../services/console';
import { resultsCsv, resultsXlsx, subjectsCsv, type ExportInput } from '../services/export';
import { readTable, subjectsFromTable, uploadedBytes } from '../services/import-subjects';
import { getSitting, publishSitting, sittingForms, sittingResults } from '../services/sittings';
import { SLIPS_CSS } from '../services/slips-page';
import type { SittingDeps } from './sittings';

/**
 * The organiser and admin console's own endpoints (issue 4), beside the core routes:
 * subject import (CSV / XLSX) with preview, subject edits, the sittings a user may see,
 * publish, dry-run clearing, per-minute turnout, exports, the slips PDF and the audit view.
 */

const JSON_TYPE = /^application\/([\w.-]+\+)?json$/i;

async function importPreview(db: Db, c: Context, assessmentId: number) {
  getAssessment(db, assessmentId);
  const { bytes, contentType } = await uploadedBytes(c.req);
  const table = await readTable(bytes, contentType);
  return subjectsFromTable(table, existingSubjectKeys(db, assessmentId));
}

/**
 * What a results file is built from. The export's audit entry is appended once the results are
 * known to exist (a refused export records nothing) and before the file is rendered, so the head
 * the file prints includes its own export entry.
 */
function exportInput(db: Db, sittingId: number, actor: string, format: 'csv' | 'xlsx'): ExportInput {
  const sitting = getSitting(db, sittingId);
  const results = sittingResults(db, sittingId);
  const keys = new Map(listSubjects(db, sitting.assessmentId).map((s) => [s.id, s.key]));
  appendAudit(db, actor, 'results.export', `sitting:${sittingId}`, { format });
  return { sittingName: sitting.name, forms: sittingForms(sitting), results, keys, auditHead: publishedAuditHead(db) };
}

/** Mounted at /admin/assessments before the core routes: the upload path of POST /:id/subjects, and the preview. */
export function consoleAssessmentRoutes(db: Db) {
  const adminOnly = requireRole(db, 'admin');
  return new Hono<AuthEnv>()
    .use('/:id/subjects', async (c: Context<AuthEnv>, next: Next) => {
      // JSON lists go on to the core route; a CSV / XLSX upload is handled here.
      if (c.req.method !== 'POST' || JSON_TYPE.test((c.req.header('Content-Type') ?? '').split(';')[0]!.trim())) return next();
      let created: Response | undefined;
      await adminOnly(c, async () => {
        const id = idParam(c.req.param('id'));
        const preview = await importPreview(db, c, id);
        if (preview.problems.length > 0 || preview.subjects.length === 0) {
          throw new ApiError(422, 'invalid_import', { total: preview.total, problems: preview.problems.slice(0, 500) });
        }
        created = c.json({ subjects: addSubjects(db, c.var.user.username, id, preview.subjects) }, 201);
      });
      return created;
    })
    .post('/:id/subjects/preview', adminOnly, async (c) => {
      const id = idParam(c.req.param('id'));
      const preview = await importPreview(db, c, id);
      return c.json({ ...preview, problems: preview.problems.slice(0, 500) }, 200);
    })
    .get('/:id/subjects.csv', adminOnly, (c) => {
      const id = idParam(c.req.param('id'));
      const assessment = getAssessment(db, id);
      attachment(c, `${assessment.name}-考核对象.csv`, 'text/csv; charset=utf-8');
      return c.body(subjectsCsv(listSubjects(db, id)), 200);
    });
}

/** Mounted at /admin/subjects: edits after import. */
export function consoleSubjectRoutes(db: Db) {
  const adminOnly = requireRole(db, 'admin');
  return new Hono<AuthEnv>()
    .post('/:id', adminOnly, jsonBody(UpdateSubjectRequest), (c) => {
      const id = idParam(c.req.param('id'));
      return c.json({ subject: updateSubject(db, c.var.user.username, id, c.req.valid('json')) }, 200);
    })
    .post('/:id/delete', adminOnly, (c) => {
      const id = idParam(c.req.param('id'));
      deleteSubject(db, c.var.user.username, id);
      return c.json({ ok: true as const }, 200);
    });
}

/** Mounted at /admin/sittings beside the core sitting routes. */
export function consoleSittingRoutes({ db, printQueue, turnout }: SittingDeps) {
  const adminOnly = requireRole(db, 'admin');
  const staff = requireRole(db, 'admin', 'organiser');
  return new Hono<AuthEnv>()
    .get('/', staff, (c) => c.json({ sittings: visibleSittings(db, c.var.user) }, 200))
    .get('/:id/overview', staff, (c) => {
      const id = idParam(c.req.param('id'));
      assertCanWatch(db, c.var.user, id);
      return c.json(sittingOverview(db, c.var.user, id, printQueue), 200);
    })
    .get('/:id/turnout/minutes', staff, (c) => {
      const id = idParam(c.req.param('id'));
      assertCanWatch(db, c.var.user, id);
      getSitting(db, id);
      return c.json(turnoutByMinute(db, id), 200);
    })
    .post('/:id/publish', adminOnly, (c) => {
      const id = idParam(c.req.param('id'));
      publishSitting(db, c.var.user.username, id);
      return c.json({ id, status: 'published' as const }, 200);
    })
    .post('/:id/dry-run/clear', adminOnly, (c) => {
      const id = idParam(c.req.param('id'));
      const cleared = clearDryRun(db, c.var.user.username, id);
      turnout.changed(id);
      return c.json({ id, cleared }, 200);
    })
    .get('/:id/results.csv', adminOnly, postRequired)
    .get('/:id/results.xlsx', adminOnly, postRequired)
    .post('/:id/results.csv', adminOnly, (c) => {
      const id = idParam(c.req.param('id'));
      const input = exportInput(db, id, c.var.user.username, 'csv');
      attachment(c, `${input.sittingName}-测评结果.csv`, 'text/csv; charset=utf-8');
      return c.body(resultsCsv(input), 200);
    })
    .post('/:id/results.xlsx', adminOnly, async (c) => {
      const id = idParam(c.req.param('id'));
      const input = exportInput(db, id, c.var.user.username, 'xlsx');
      const file = await resultsXlsx(input);
      attachment(c, `${input.sittingName}-测评结果.xlsx`, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      return c.body(file as Uint8Array<ArrayBuffer>, 200);
    });
}

/** Mounted at /admin: the slips page's stylesheet (static text; a file so no inline style is needed). */
export function consoleStaticRoutes() {
  return new Hono().get('/slips.css', (c) => {
    c.header('Content-Type', 'text/css; charset=utf-8');
    c.header('Cache-Control', 'no-cache');
    return c.body(SLIPS_CSS, 200);
  });
}

/** Mounted at /admin/audit: the hash-chained log, newest first, with its verification. */
export function consoleAuditRoutes(db: Db) {
  return new Hono<AuthEnv>().get('/', requireRole(db, 'admin'), (c) => {
    const before = c.req.query('before');
    const limitText = c.req.query('limit') ?? '100';
    if ((before !== undefined && !/^[1-9][0-9]{0,9}$/.test(before)) || !/^[1-9][0-9]{0,3}$/.test(limitText)) {
      throw new ApiError(400, 'invalid_request', { issues: [{ path: 'query', message: 'before and limit are positive integers' }] });
    }
    const page = auditPage(db, { ...(before ? { before: Number(before) } : {}), limit: Math.min(500, Number(limitText)) });
    return c.json(page, 200);
  });
}
