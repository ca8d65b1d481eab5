import { Hono } from 'hono';
import { GradingPolicySchema, GradingRequest, OverrideRequest, SaveSubjectInputsRequest } from '../../shared/grading-api';
import type { Db } from '../db/open';
import { requireRole, type AuthEnv } from '../http/auth';
import { idParam, jsonBody } from '../http/validate';
import { attachment } from '../http/download';
import { ApiError } from '../http/errors';
import { listSubjects } from '../services/assessments';
import { publishedAuditHead } from '../services/audit';
import { loadDemoProvince } from '../services/demo-province';
import { inputsFromTable } from '../services/import-inputs';
import { readTable, uploadedBytes } from '../services/import-subjects';
import { currentRun, listSubjectInputs, overrideGrade, policyInForce, publishAssessment, reportFor, runGrading, saveSubjectInputs, savePolicy } from '../services/grading';
import { reportCsv, reportWorkbook } from '../services/grading-export';

/** Grading (GRADING.md): inputs, runs, overrides, the report and publication. Admins only. */
export function gradingRoutes(db: Db) {
  const adminOnly = requireRole(db, 'admin');
  return new Hono<AuthEnv>()
    .get('/grading/policy', adminOnly, (c) => c.json({ policy: policyInForce(db) }, 200))
    .post('/grading/policy', adminOnly, jsonBody(GradingPolicySchema), (c) => c.json({ policy: savePolicy(db, c.var.user.username, c.req.valid('json')) }, 201))
    .post('/demo-province', adminOnly, (c) => c.json(loadDemoProvince(db, c.var.user.username), 201))
    .get('/assessments/:id/inputs', adminOnly, (c) => c.json({ inputs: listSubjectInputs(db, idParam(c.req.param('id'))) }, 200))
    .post('/assessments/:id/inputs', adminOnly, jsonBody(SaveSubjectInputsRequest), (c) =>
      c.json(saveSubjectInputs(db, c.var.user.username, idParam(c.req.param('id')), c.req.valid('json')), 200),
    )
    .post('/assessments/:id/inputs/import', adminOnly, async (c) => {
      const id = idParam(c.req.param('id'));
      const known = new Set(listSubjects(db, id).map((s) => s.key));
      const { bytes, contentType } = await uploadedBytes(c.req);
      const preview = inputsFromTable(await readTable(bytes, contentType), known);
      // A preview lists every bad row and saves nothing; an import saves only a clean file.
      if (c.req.query('preview') !== undefined) return c.json(preview, 200);
      if (preview.problems.length > 0) throw new ApiError(422, 'invalid_import', { problems: preview.problems.slice(0, 500) });
      return c.json({ ...saveSubjectInputs(db, c.var.user.username, id, preview.rows), total: preview.total }, 200);
    })
    .post('/assessments/:id/grading', adminOnly, jsonBody(GradingRequest), (c) => {
      const id = idParam(c.req.param('id'));
      const { policy } = c.req.valid('json');
      const run = runGrading(db, c.var.user.username, id, policy);
      return c.json({ runId: run.id, policy: run.policy, result: run.result, report: reportFor(db, id), carriedOverrides: run.carriedOverrides, droppedOverrides: run.droppedOverrides }, 201);
    })
    .get('/assessments/:id/grading', adminOnly, (c) => {
      const id = idParam(c.req.param('id'));
      const run = currentRun(db, id);
      return c.json({ runId: run.id, createdAt: run.createdAt, policy: run.policy, result: run.result, report: reportFor(db, id) }, 200);
    })
    .post('/assessments/:id/grading/overrides', adminOnly, jsonBody(OverrideRequest), (c) => {
      const { subjectKey, grade, reason } = c.req.valid('json');
      const run = overrideGrade(db, c.var.user.username, idParam(c.req.param('id')), subjectKey, grade, reason);
      return c.json({ runId: run.id, subject: run.result.subjects.find((s) => s.key === subjectKey) }, 200);
    })
    .get('/assessments/:id/report', adminOnly, (c) => c.json(reportFor(db, idParam(c.req.param('id'))), 200))
    .get('/assessments/:id/report.csv', adminOnly, (c) => {
      const report = reportFor(db, idParam(c.req.param('id')));
      attachment(c, `grading-${report.year}.csv`, 'text/csv; charset=utf-8');
      return c.body(reportCsv(report, publishedAuditHead(db)), 200);
    })
    .get('/assessments/:id/report.xlsx', adminOnly, async (c) => {
      const report = reportFor(db, idParam(c.req.param('id')));
      const buffer = await reportWorkbook(report, publishedAuditHead(db));
      attachment(c, `grading-${report.year}.xlsx`, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      return c.body(buffer, 200);
    })
    .post('/assessments/:id/publish', adminOnly, (c) => {
      const run = publishAssessment(db, c.var.user.username, idParam(c.req.param('id')));
      return c.json({ runId: run.id, published: true }, 200);
    });
}
