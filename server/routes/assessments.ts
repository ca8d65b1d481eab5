import { Hono, type Context } from 'hono';
import { CreateAssessmentRequest, CreateSittingRequest, CreateSubjectsRequest } from '../../shared/api';
import { AssessmentDetailResponse, AssessmentSittingsResponse, AssessmentsResponse, SubjectImportPreviewSchema, SubjectsResponse } from '../../shared/contract/assessments';
import { CreatedId } from '../../shared/contract/common';
import { CurrentGradingResponse, GradingReportSchema, GradingRunResponse, InputImportResponse, InputsResponse, InputsSavedResponse, OverrideResponse, PublishAssessmentResponse } from '../../shared/contract/grading';
import { GradingRequest, OverrideRequest, SaveSubjectInputsRequest } from '../../shared/grading-api';
import type { Db } from '../db/database';
import { requireRole, type AuthEnv } from '../http/auth';
import { attachment, postRequired } from '../http/download';
import { ApiError } from '../http/errors';
import { documented, endpoint } from '../http/route';
import { idParam, jsonBody } from '../http/validate';
import { publishedAuditHead } from '../services/audit/audit';
import { reportCsv, reportWorkbook } from '../services/grading/export';
import { exportReportPdf } from '../services/grading/report-pdf-export';
import { currentRun, listSubjectInputs, overrideGrade, publishAssessment, reportFor, reportForRun, runGrading, saveSubjectInputs } from '../services/grading/grading';
import { inputsFromTable } from '../services/imports/inputs';
import { readTable, subjectsFromTable, uploadedBytes } from '../services/imports/subjects';
import { createSitting } from '../services/sittings/sittings';
import { subjectsCsv } from '../services/sittings/export';
import { createAssessment, getAssessment, listAssessments, listSittings } from '../services/subjects/assessments';
import { addSubjects, existingSubjectKeys, listSubjects } from '../services/subjects/subjects';

const JSON_TYPE = /^application\/([\w.-]+\+)?json$/i;
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** What an import takes: the file as the raw body with its type, or the part "file" of a form. */
const UPLOADS = ['text/csv', XLSX_TYPE, 'multipart/form-data'] as const;
const IMPORT_ERRORS = {
  400: ['invalid_request'],
  413: ['import_too_large'],
  415: ['unsupported_file'],
  422: ['import_too_many_rows', 'import_too_many_columns', 'import_too_slow'],
} as const;

/** A body sent as JSON is a list; anything else, no content type included, is a file to import. */
function isJsonList(c: Context): boolean {
  return JSON_TYPE.test((c.req.header('Content-Type') ?? '').split(';')[0]!.trim());
}

async function importPreview(db: Db, c: Context, assessmentId: number) {
  await getAssessment(db, assessmentId);
  const { bytes, contentType } = await uploadedBytes(c.req);
  const table = await readTable(bytes, contentType);
  return subjectsFromTable(table, await existingSubjectKeys(db, assessmentId));
}

/** An upload saves only a clean file: one bad row refuses it all, with the rows a preview would show. */
async function importedSubjects(db: Db, c: Context, assessmentId: number) {
  const preview = await importPreview(db, c, assessmentId);
  if (preview.problems.length > 0 || preview.subjects.length === 0) {
    throw new ApiError(422, 'invalid_import', { total: preview.total, problems: preview.problems.slice(0, 500) });
  }
  return preview.subjects;
}

/**
 * /api/admin/assessments: assessments, their subjects (listed, added as JSON or imported from
 * CSV / XLSX) and sittings, and their grading (GRADING.md): inputs, runs, overrides, the report
 * and publication.
 */
export function assessmentRoutes(db: Db) {
  const list = endpoint({ summary: 'List assessments', responses: { 200: AssessmentsResponse } });
  const create = endpoint({ summary: 'Create an assessment', responses: { 201: CreatedId } });
  const detail = endpoint({ summary: 'An assessment with its subjects and sittings', errors: { 404: ['unknown_assessment'] }, responses: { 200: AssessmentDetailResponse } });
  const subjects = endpoint({ summary: 'Subjects of an assessment', errors: { 404: ['unknown_assessment'] }, responses: { 200: SubjectsResponse } });
  const addSubjectList = endpoint({
    summary: 'Add subjects: a JSON list, or a CSV / XLSX upload (raw body with its content type, or multipart field "file"); an upload with bad rows saves nothing (422 invalid_import)',
    errors: { ...IMPORT_ERRORS, 404: ['unknown_assessment'], 409: ['duplicate_subject_key'], 422: ['invalid_import', ...IMPORT_ERRORS[422]] },
    uploads: UPLOADS,
    responses: { 201: SubjectsResponse },
  });
  const preview = endpoint({
    summary: 'Preview a subject list upload (CSV or XLSX, raw body or multipart field "file"): the subjects and every bad row with its reason; nothing saved',
    errors: { ...IMPORT_ERRORS, 404: ['unknown_assessment'] },
    uploads: UPLOADS,
    responses: { 200: SubjectImportPreviewSchema },
  });
  const subjectsFile = endpoint({ summary: 'Subjects of an assessment as CSV (UTF-8 BOM, importable headers)', errors: { 404: ['unknown_assessment'] }, files: { 200: 'text/csv' } });
  const sittings = endpoint({ summary: 'Sittings of an assessment', errors: { 404: ['unknown_assessment'] }, responses: { 200: AssessmentSittingsResponse } });
  const createSittingOf = endpoint({
    summary: 'Create a sitting (draft) with forms, subjects and voter groups',
    errors: { 400: ['unknown_subjects'], 404: ['unknown_assessment'] },
    responses: { 201: CreatedId },
  });
  const inputs = endpoint({ summary: 'Component scores and facts entered per subject', errors: { 404: ['unknown_assessment'] }, responses: { 200: InputsResponse } });
  const saveInputs = endpoint({
    summary: 'Enter component scores and facts per subject (upsert by key)',
    errors: { 400: ['unknown_subjects'], 404: ['unknown_assessment'], 409: ['assessment_published'] },
    responses: { 200: InputsSavedResponse },
  });
  const importInputs = endpoint({
    summary: 'Import component scores and facts from CSV or XLSX (?preview lists every bad row and saves nothing)',
    errors: { ...IMPORT_ERRORS, 404: ['unknown_assessment'], 409: ['assessment_published'], 422: ['invalid_import', ...IMPORT_ERRORS[422]] },
    uploads: UPLOADS,
    responses: { 200: InputImportResponse },
  });
  const grade = endpoint({
    summary: 'Run the grading model: proposed grades with reasons, stored with the policy; overrides of the previous run are carried over',
    errors: { 400: ['invalid_policy'], 404: ['unknown_assessment'], 409: ['assessment_published'], 422: ['grading_inputs_invalid'] },
    responses: { 201: GradingRunResponse },
  });
  const grading = endpoint({
    summary: 'The current grading run (published, or else the newest)',
    errors: { 404: ['unknown_assessment'], 409: ['not_graded'] },
    responses: { 200: CurrentGradingResponse },
  });
  const override = endpoint({
    summary: 'Change a grade with a written reason (audited)',
    errors: { 404: ['unknown_assessment', 'unknown_subject'], 409: ['assessment_published', 'not_graded'], 422: ['override_reason_required', 'grade_not_allowed'] },
    responses: { 200: OverrideResponse },
  });
  const notGraded = { 404: ['unknown_assessment'], 409: ['not_graded'] } as const;
  const report = endpoint({ summary: 'The report: counts per grade per category, change on the previous year, rows', errors: notGraded, responses: { 200: GradingReportSchema } });
  const reportFile = endpoint({ summary: 'The report as CSV (UTF-8 with BOM); last row 审计链头 audit head (AuditHead)', errors: notGraded, files: { 200: 'text/csv' } });
  const reportBook = endpoint({ summary: 'The report as XLSX; the counts sheet ends with 审计链头 audit head (AuditHead)', errors: notGraded, files: { 200: XLSX_TYPE } });
  const reportPdfRefused = endpoint({ summary: 'Refused: the report PDF is audited, so it comes only from a POST', errors: { 405: ['post_required'] } });
  const reportPdf = endpoint({
    summary:
      "The report for the committee (省委常委会) as an A4 PDF: policy version, the §7 counts and charts against last year, the lists of 优秀 / 一般 / 较差 / 基本称职 / 不称职 / 不定等次 with their reasons, the overrides with theirs, and 审计链头 audit head (AuditHead, including this export's audit entry); audited",
    errors: notGraded,
    files: { 200: 'application/pdf' },
  });
  const publish = endpoint({
    summary: 'Freeze grades, policy and scores and publish the aggregates',
    errors: { 404: ['unknown_assessment'], 409: ['assessment_published', 'not_graded', 'invalid_state'] },
    responses: { 200: PublishAssessmentResponse },
  });

  // Only a JSON list is validated as a body; an upload is read and checked row by row by the import.
  const subjectList = jsonBody(CreateSubjectsRequest);
  const listOrUpload = documented(((c, next) => (isJsonList(c) ? subjectList(c, next) : next())) as typeof subjectList, 'json', CreateSubjectsRequest);

  return new Hono<AuthEnv>()
    // Everything under the prefix is the admin's: an unknown path there asks for a login too.
    .use(requireRole(db, 'admin'))
    .get('/', list.doc, async (c) => list.json(c, { assessments: await listAssessments(db) }, 200))
    .post('/', create.doc, jsonBody(CreateAssessmentRequest), async (c) => {
      const { name, year } = c.req.valid('json');
      return create.json(c, { id: await createAssessment(db, c.var.user.username, name, year) }, 201);
    })
    .get('/:id', detail.doc, async (c) => {
      const id = idParam(c.req.param('id'));
      const assessment = await getAssessment(db, id);
      return detail.json(c, { assessment, subjects: await listSubjects(db, id), sittings: await listSittings(db, id) }, 200);
    })
    .get('/:id/subjects', subjects.doc, async (c) => {
      const id = idParam(c.req.param('id'));
      await getAssessment(db, id);
      return subjects.json(c, { subjects: await listSubjects(db, id) }, 200);
    })
    .post('/:id/subjects', addSubjectList.doc, listOrUpload, async (c) => {
      const id = idParam(c.req.param('id'));
      const list = isJsonList(c) ? c.req.valid('json') : await importedSubjects(db, c, id);
      return addSubjectList.json(c, { subjects: await addSubjects(db, c.var.user.username, id, list) }, 201);
    })
    .post('/:id/subjects/preview', preview.doc, async (c) => {
      const id = idParam(c.req.param('id'));
      const found = await importPreview(db, c, id);
      return preview.json(c, { ...found, problems: found.problems.slice(0, 500) }, 200);
    })
    .get('/:id/subjects.csv', subjectsFile.doc, async (c) => {
      const id = idParam(c.req.param('id'));
      const assessment = await getAssessment(db, id);
      const list = await listSubjects(db, id);
      attachment(c, `${assessment.name}-考核对象.csv`, 'text/csv; charset=utf-8');
      return c.body(subjectsCsv(list), 200);
    })
    .get('/:id/sittings', sittings.doc, async (c) => {
      const id = idParam(c.req.param('id'));
      await getAssessment(db, id);
      return sittings.json(c, { sittings: await listSittings(db, id) }, 200);
    })
    .post('/:id/sittings', createSittingOf.doc, jsonBody(CreateSittingRequest), async (c) => {
      const id = idParam(c.req.param('id'));
      await getAssessment(db, id);
      return createSittingOf.json(c, { id: await createSitting(db, c.var.user.username, id, c.req.valid('json')) }, 201);
    })
    .get('/:id/inputs', inputs.doc, async (c) => inputs.json(c, { inputs: await listSubjectInputs(db, idParam(c.req.param('id'))) }, 200))
    .post('/:id/inputs', saveInputs.doc, jsonBody(SaveSubjectInputsRequest), async (c) =>
      saveInputs.json(c, await saveSubjectInputs(db, c.var.user.username, idParam(c.req.param('id')), c.req.valid('json')), 200),
    )
    .post('/:id/inputs/import', importInputs.doc, async (c) => {
      const id = idParam(c.req.param('id'));
      const known = new Set((await listSubjects(db, id)).map((s) => s.key));
      const { bytes, contentType } = await uploadedBytes(c.req);
      const found = inputsFromTable(await readTable(bytes, contentType), known);
      // A preview lists every bad row and saves nothing; an import saves only a clean file.
      if (c.req.query('preview') !== undefined) return importInputs.json(c, found, 200);
      if (found.problems.length > 0) throw new ApiError(422, 'invalid_import', { problems: found.problems.slice(0, 500) });
      return importInputs.json(c, { ...(await saveSubjectInputs(db, c.var.user.username, id, found.rows)), total: found.total }, 200);
    })
    .post('/:id/grading', grade.doc, jsonBody(GradingRequest), async (c) => {
      const id = idParam(c.req.param('id'));
      const { policy } = c.req.valid('json');
      const run = await runGrading(db, c.var.user.username, id, policy);
      // The report of this very run (a published assessment cannot be graded, so it is the current one).
      const report = await reportForRun(db, run);
      return grade.json(c, { runId: run.id, policy: run.policy, result: run.result, report, carriedOverrides: run.carriedOverrides, droppedOverrides: run.droppedOverrides }, 201);
    })
    .get('/:id/grading', grading.doc, async (c) => {
      const id = idParam(c.req.param('id'));
      const run = await currentRun(db, id);
      const report = await reportForRun(db, run);
      return grading.json(c, { runId: run.id, createdAt: run.createdAt, policy: run.policy, result: run.result, report }, 200);
    })
    .post('/:id/grading/overrides', override.doc, jsonBody(OverrideRequest), async (c) => {
      const { subjectKey, grade, reason } = c.req.valid('json');
      const run = await overrideGrade(db, c.var.user.username, idParam(c.req.param('id')), subjectKey, grade, reason);
      // overrideGrade refuses a key the run does not hold (404), so the subject is there.
      return override.json(c, { runId: run.id, subject: run.result.subjects.find((s) => s.key === subjectKey)! }, 200);
    })
    .get('/:id/report', report.doc, async (c) => report.json(c, await reportFor(db, idParam(c.req.param('id'))), 200))
    .get('/:id/report.csv', reportFile.doc, async (c) => {
      const found = await reportFor(db, idParam(c.req.param('id')));
      const auditHead = await publishedAuditHead(db);
      attachment(c, `grading-${found.year}.csv`, 'text/csv; charset=utf-8');
      return c.body(reportCsv(found, auditHead), 200);
    })
    .get('/:id/report.xlsx', reportBook.doc, async (c) => {
      const found = await reportFor(db, idParam(c.req.param('id')));
      const buffer = await reportWorkbook(found, await publishedAuditHead(db));
      attachment(c, `grading-${found.year}.xlsx`, XLSX_TYPE);
      return c.body(buffer, 200);
    })
    .get('/:id/report.pdf', reportPdfRefused.doc, postRequired)
    .post('/:id/report.pdf', reportPdf.doc, async (c) => {
      const { file, year } = await exportReportPdf(db, c.var.user.username, idParam(c.req.param('id')));
      attachment(c, `考核结果报告-${year}.pdf`, 'application/pdf');
      return c.body(file as Uint8Array<ArrayBuffer>, 200);
    })
    .post('/:id/publish', publish.doc, async (c) => {
      const run = await publishAssessment(db, c.var.user.username, idParam(c.req.param('id')));
      return publish.json(c, { runId: run.id, published: true }, 200);
    });
}
