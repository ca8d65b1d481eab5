import * as z from 'zod/mini';
import * as api from '../shared/api';
import * as grading from '../shared/grading-api';
import { ERROR_MESSAGES } from '../shared/errors';
import { LOGIN_LIMITS } from './limits';

/**
 * The OpenAPI document at /api/openapi.json, generated from the same schemas that validate
 * the requests (shared/api.ts). A test checks that every mounted /api route is listed here.
 */
interface Endpoint {
  method: 'get' | 'post';
  path: string;
  summary: string;
  /** Longer text, where a summary is not enough. */
  description?: string;
  tag: 'voter' | 'admin' | 'public';
  body?: z.core.$ZodType;
  /** Status → description; error statuses name their codes. */
  responses: Record<number, string>;
}

const E = (codes: (keyof typeof ERROR_MESSAGES)[]) => `Error: ${codes.join(', ')}`;

const minutes = (ms: number) => `${ms / 60_000} min`;
const L = LOGIN_LIMITS;
const LOGIN_DESCRIPTION =
  'Sets the session cookie and a device cookie (ceping_device: HttpOnly, SameSite=Strict, Secure behind https, ' +
  `Path=/api/admin/login, ${L.deviceCookieMaxAgeSeconds / 86_400} days; username, nonce and HMAC) by which this browser's later logins as that user are throttled apart from strangers (OWASP device cookies): ` +
  `${L.perDevice.failures} failures per device cookie per ${minutes(L.perDevice.windowMs)}; without it, ${L.strangerPerUsername.failures} failures per username per ${minutes(L.strangerPerUsername.windowMs)} ` +
  `and ${L.strangerPerAddress.failures} per address per ${minutes(L.strangerPerAddress.windowMs)}. Each attempt is counted before the password is hashed (a success clears the count): past a budget the answer is 429 too_many_attempts at once, with Retry-After, without hashing. ` +
  `At most ${L.kdfConcurrency} password checks run at once, ${L.kdfQueue} wait; past that 503 busy at once, Retry-After: ${L.busyRetryAfterSeconds}`;

export const ENDPOINTS: Endpoint[] = [
  { method: 'post', path: '/api/voter/ballot', tag: 'voter', summary: 'The ballot definition a slip opens; rehearsal is true for a practice slip (演练票). The token is case-insensitive, spaces and hyphens ignored', body: api.BallotRequest, responses: { 200: '{ sitting, voterGroup, rehearsal, forms }', 404: E(['unknown_token']), 409: E(['token_used']), 423: E(['sitting_not_open', 'sitting_closed', 'rehearsal_over']), 429: E(['too_many_attempts']) } },
  { method: 'post', path: '/api/voter/submit', tag: 'voter', summary: 'Cast a ballot (idempotent by submissionId); __proto__/constructor/prototype keys in answers are refused as unknown forms, subjects or questions; a ballot the server cannot store gets 503 storage_full and the phone retries', body: api.SubmitRequest, responses: { 201: '{ receipt }', 200: '{ receipt, duplicate: true }', 404: E(['unknown_token']), 409: E(['token_used']), 422: E(['invalid_answers']), 423: E(['sitting_not_open', 'sitting_closed', 'rehearsal_over']), 429: E(['too_many_attempts']), 503: E(['storage_full', 'busy']) } },
  { method: 'get', path: '/api/public/sittings/:id/receipts', tag: 'public', summary: 'Receipt board of a closed sitting, sorted, with the current audit head', responses: { 200: '{ receipts: string[], auditHead: AuditHead }', 404: E(['unknown_sitting']), 409: E(['sitting_not_closed']) } },
  { method: 'post', path: '/api/admin/login', tag: 'admin', summary: 'Log in; sets an HttpOnly SameSite=Strict session cookie and a device cookie', description: LOGIN_DESCRIPTION, body: api.LoginRequest, responses: { 200: '{ user } (sets the session and device cookies)', 401: E(['bad_credentials']), 403: E(['bad_origin']), 429: `${E(['too_many_attempts'])}; refused at once without checking the password, Retry-After says when to try again. A browser with its device cookie is not held up by other people's failures`, 503: `${E(['busy'])}; too many password checks waiting, refused at once; Retry-After: ${L.busyRetryAfterSeconds}` } },
  { method: 'post', path: '/api/admin/logout', tag: 'admin', summary: 'Log out', responses: { 200: '{ ok: true }' } },
  { method: 'get', path: '/api/admin/me', tag: 'admin', summary: 'The logged-in user', responses: { 200: '{ user }', 401: E(['unauthenticated']) } },
  { method: 'get', path: '/api/admin/users', tag: 'admin', summary: 'Accounts (admin only)', responses: { 200: '{ users }', 403: E(['forbidden']) } },
  { method: 'post', path: '/api/admin/users', tag: 'admin', summary: 'Create an admin or organiser account', body: api.CreateUserRequest, responses: { 201: '{ id }', 409: E(['username_taken']) } },
  { method: 'post', path: '/api/admin/sittings/:id/organisers', tag: 'admin', summary: 'Assign an organiser to a sitting', body: api.AssignOrganiserRequest, responses: { 200: '{ ok: true }', 404: E(['unknown_sitting']) } },
  { method: 'get', path: '/api/admin/assessments', tag: 'admin', summary: 'List assessments', responses: { 200: '{ assessments }' } },
  { method: 'post', path: '/api/admin/assessments', tag: 'admin', summary: 'Create an assessment', body: api.CreateAssessmentRequest, responses: { 201: '{ id }' } },
  { method: 'get', path: '/api/admin/assessments/:id', tag: 'admin', summary: 'An assessment with its subjects and sittings', responses: { 200: '{ assessment, subjects, sittings }', 404: E(['unknown_assessment']) } },
  { method: 'get', path: '/api/admin/assessments/:id/subjects', tag: 'admin', summary: 'Subjects of an assessment', responses: { 200: '{ subjects }', 404: E(['unknown_assessment']) } },
  { method: 'post', path: '/api/admin/assessments/:id/subjects', tag: 'admin', summary: 'Add subjects: a JSON list, or a CSV / XLSX upload (raw body with its content type, or multipart field "file"); an upload with bad rows saves nothing (422 invalid_import)', body: api.CreateSubjectsRequest, responses: { 201: '{ subjects }', 404: E(['unknown_assessment']), 409: E(['duplicate_subject_key']), 413: E(['body_too_large', 'import_too_large']), 415: E(['unsupported_file']), 422: E(['invalid_import', 'import_too_many_rows', 'import_too_many_columns', 'import_too_slow']) } },
  { method: 'get', path: '/api/admin/assessments/:id/sittings', tag: 'admin', summary: 'Sittings of an assessment', responses: { 200: '{ sittings }', 404: E(['unknown_assessment']) } },
  { method: 'post', path: '/api/admin/assessments/:id/sittings', tag: 'admin', summary: 'Create a sitting (draft) with forms, subjects and voter groups', body: api.CreateSittingRequest, responses: { 201: '{ id }', 400: E(['unknown_subjects', 'invalid_request']), 404: E(['unknown_assessment']) } },
  { method: 'get', path: '/api/admin/sittings/:id', tag: 'admin', summary: 'A sitting with its forms and state', responses: { 200: '{ id, name, status, k, flags, forms }', 404: E(['unknown_sitting']) } },
  { method: 'post', path: '/api/admin/sittings/:id/rehearse', tag: 'admin', summary: 'Start the rehearsal of a draft sitting: only practice (dry-run) slips vote until it opens', responses: { 200: '{ id, status: "rehearsal" }', 409: E(['invalid_state']) } },
  { method: 'post', path: '/api/admin/sittings/:id/open', tag: 'admin', summary: 'Open a draft or rehearsing sitting (purging the rehearsal ballots, audited), or reopen a closed one before publication; after a reopen, results are withheld unless at least k ballots are added', responses: { 200: '{ id, status }', 409: E(['invalid_state']) } },
  { method: 'post', path: '/api/admin/sittings/:id/close', tag: 'admin', summary: 'Close a sitting: tally, reconciliation, flags; auditHead is the head including the close entry', responses: { 200: '{ id, status, reconciliation, flags, auditHead: AuditHead }', 409: E(['invalid_state']) } },
  { method: 'post', path: '/api/admin/sittings/:id/tokens', tag: 'admin', summary: 'Issue a batch of one-time tokens (clear tokens returned once); practice (dryRun) batches only before the sitting opens; warnings has batch_below_k for any group below k', body: api.IssueTokensRequest, responses: { 201: '{ batchId, tokens, slipsUrl, dryRun, warnings }', 400: E(['unknown_voter_group']), 409: E(['invalid_state', 'rehearsal_only']) } },
  { method: 'get', path: '/api/admin/sittings/:id/turnout', tag: 'admin', summary: 'Slips used / issued, overall and per voter group', responses: { 200: '{ issued, used, dryRun, byGroup }' } },
  { method: 'get', path: '/api/admin/sittings/:id/turnout/stream', tag: 'admin', summary: 'Turnout as server-sent events (event: turnout); at most 10 per session and 200 in all; a stream ends when its session ends (logout or expiry)', responses: { 200: 'text/event-stream', 429: E(['too_many_streams']) } },
  { method: 'get', path: '/api/admin/sittings/:id/results', tag: 'admin', summary: 'Tallies and test scores after close; groups below k are hidden and scored as one pool; withheld (too_few_ballots, reopen_below_k) means no per-subject numbers; closeAuditHead is the audit head right after the close', responses: { 200: '{ ballots, groups, forms, reconciliation, flags, withheld?, closeAuditHead }', 409: E(['sitting_not_closed']) } },
  { method: 'get', path: '/api/admin/batches/:id/slips', tag: 'admin', summary: 'A page with a button that POSTs for the slips: a GET or HEAD prints and records nothing', responses: { 200: 'text/html', 404: E(['unknown_batch']) } },
  { method: 'post', path: '/api/admin/batches/:id/slips', tag: 'admin', summary: 'Printable A4 page of QR slips for a freshly issued batch; counts the slips as printed (audited)', responses: { 200: 'text/html', 403: E(['bad_origin']), 404: E(['unknown_batch']) } },
  { method: 'post', path: '/api/admin/assessments/:id/subjects/preview', tag: 'admin', summary: 'Preview a subject list upload (CSV or XLSX, raw body or multipart field "file"): the subjects and every bad row with its reason; nothing saved', responses: { 200: '{ total, subjects, problems, columns }', 404: E(['unknown_assessment']), 413: E(['body_too_large', 'import_too_large']), 415: E(['unsupported_file']), 422: E(['import_too_many_rows', 'import_too_many_columns', 'import_too_slow']) } },
  { method: 'get', path: '/api/admin/assessments/:id/subjects.csv', tag: 'admin', summary: 'Subjects of an assessment as CSV (UTF-8 BOM, importable headers)', responses: { 200: 'text/csv', 404: E(['unknown_assessment']) } },
  { method: 'post', path: '/api/admin/subjects/:id', tag: 'admin', summary: 'Edit a subject', body: api.UpdateSubjectRequest, responses: { 200: '{ subject }', 404: E(['unknown_subject']), 409: E(['duplicate_subject_key']) } },
  { method: 'post', path: '/api/admin/subjects/:id/delete', tag: 'admin', summary: 'Delete a subject no sitting uses', responses: { 200: '{ ok: true }', 404: E(['unknown_subject']), 409: E(['subject_in_use']) } },
  { method: 'get', path: '/api/admin/sittings', tag: 'admin', summary: 'The sittings the user may see: all for an admin, the assigned ones for an organiser', responses: { 200: '{ sittings }', 401: E(['unauthenticated']) } },
  { method: 'get', path: '/api/admin/sittings/:id/overview', tag: 'admin', summary: 'Voter groups, slip batches and organisers of a sitting', responses: { 200: '{ groups, batches, organisers, subjectCount, assessmentId }', 403: E(['forbidden']), 404: E(['unknown_sitting']) } },
  { method: 'get', path: '/api/admin/sittings/:id/turnout/minutes', tag: 'admin', summary: 'Ballots per minute (aggregate counters), real and dry-run apart', responses: { 200: '{ minutes, dryRun }', 403: E(['forbidden']) } },
  { method: 'post', path: '/api/admin/sittings/:id/publish', tag: 'admin', summary: 'Publish a closed sitting (it can no longer be reopened)', responses: { 200: '{ id, status }', 409: E(['invalid_state']) } },
  { method: 'post', path: '/api/admin/sittings/:id/dry-run/clear', tag: 'admin', summary: 'Delete the dry-run tokens, ballots and counters of a sitting', responses: { 200: '{ id, cleared: { tokens, ballots } }', 409: E(['invalid_state']) } },
  { method: 'get', path: '/api/admin/sittings/:id/results.csv', tag: 'admin', summary: 'Refused: exports are audited, so they come only from a POST', responses: { 405: E(['post_required']) } },
  { method: 'post', path: '/api/admin/sittings/:id/results.csv', tag: 'admin', summary: 'Tally export as CSV (UTF-8 BOM, formula-injection escaped); small groups suppressed; last row 审计链头 audit head (AuditHead, including this export\'s audit entry)', responses: { 200: 'text/csv', 409: E(['sitting_not_closed']) } },
  { method: 'get', path: '/api/admin/sittings/:id/results.xlsx', tag: 'admin', summary: 'Refused: exports are audited, so they come only from a POST', responses: { 405: E(['post_required']) } },
  { method: 'post', path: '/api/admin/sittings/:id/results.xlsx', tag: 'admin', summary: 'Tally, scores, shown group breakdowns and reconciliation as XLSX; the summary sheet ends with 审计链头 audit head (AuditHead, including this export\'s audit entry)', responses: { 200: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 409: E(['sitting_not_closed']) } },
  { method: 'get', path: '/api/admin/batches/:id/slips.pdf', tag: 'admin', summary: 'Refused: the PDF is recorded as printed, so it comes only from a POST', responses: { 405: E(['post_required']) } },
  { method: 'post', path: '/api/admin/batches/:id/slips.pdf', tag: 'admin', summary: 'The same slips as an A4 PDF (from memory; clear tokens are never stored); counts them as printed (audited)', responses: { 200: 'application/pdf', 403: E(['bad_origin']), 404: E(['unknown_batch']) } },
  { method: 'get', path: '/api/admin/slips.css', tag: 'admin', summary: 'Stylesheet of the printable slips page', responses: { 200: 'text/css' } },
  { method: 'get', path: '/api/admin/health', tag: 'admin', summary: 'Whether the server can store: { storageFull, since } (the console shows a red banner while storage is full)', responses: { 200: '{ storageFull, since }' } },
  { method: 'get', path: '/api/admin/audit', tag: 'admin', summary: 'Audit log, newest first (?before=seq&limit=n), with the chain verification', responses: { 200: '{ entries, total, broken }', 400: E(['invalid_request']), 403: E(['forbidden']) } },
  { method: 'get', path: '/api/admin/grading/policy', tag: 'admin', summary: 'The grading policy in force (GRADING.md defaults until one is saved)', responses: { 200: '{ policy }' } },
  { method: 'post', path: '/api/admin/grading/policy', tag: 'admin', summary: 'Save a new version of the grading policy', body: grading.GradingPolicySchema, responses: { 201: '{ policy }', 400: E(['invalid_policy']) } },
  { method: 'post', path: '/api/admin/demo-province', tag: 'admin', summary: 'Load the demo province (220 teams, 1,847 cadres, two years) in one step', responses: { 201: '{ previousId, currentId }' } },
  { method: 'get', path: '/api/admin/assessments/:id/inputs', tag: 'admin', summary: 'Component scores and facts entered per subject', responses: { 200: '{ inputs }', 404: E(['unknown_assessment']) } },
  { method: 'post', path: '/api/admin/assessments/:id/inputs', tag: 'admin', summary: 'Enter component scores and facts per subject (upsert by key)', body: grading.SaveSubjectInputsRequest, responses: { 200: '{ saved }', 400: E(['unknown_subjects']), 409: E(['assessment_published']) } },
  { method: 'post', path: '/api/admin/assessments/:id/inputs/import', tag: 'admin', summary: 'Import component scores and facts from CSV or XLSX (?preview lists every bad row and saves nothing)', responses: { 200: '{ saved, total } or, with ?preview, { total, rows, problems }', 413: E(['body_too_large', 'import_too_large']), 415: E(['unsupported_file']), 422: E(['invalid_import', 'import_too_many_rows', 'import_too_many_columns', 'import_too_slow']) } },
  { method: 'post', path: '/api/admin/assessments/:id/grading', tag: 'admin', summary: 'Run the grading model: proposed grades with reasons, stored with the policy; overrides of the previous run are carried over', body: grading.GradingRequest, responses: { 201: '{ runId, policy, result, report, carriedOverrides, droppedOverrides }', 409: E(['assessment_published']), 422: E(['grading_inputs_invalid']) } },
  { method: 'get', path: '/api/admin/assessments/:id/grading', tag: 'admin', summary: 'The current grading run (published, or else the newest)', responses: { 200: '{ runId, policy, result, report }', 409: E(['not_graded']) } },
  { method: 'post', path: '/api/admin/assessments/:id/grading/overrides', tag: 'admin', summary: 'Change a grade with a written reason (audited)', body: grading.OverrideRequest, responses: { 200: '{ runId, subject }', 404: E(['unknown_subject']), 409: E(['assessment_published', 'not_graded']), 422: E(['override_reason_required', 'grade_not_allowed']) } },
  { method: 'get', path: '/api/admin/assessments/:id/report', tag: 'admin', summary: 'The report: counts per grade per category, change on the previous year, rows', responses: { 200: 'GradingReport', 409: E(['not_graded']) } },
  { method: 'get', path: '/api/admin/assessments/:id/report.csv', tag: 'admin', summary: 'The report as CSV (UTF-8 with BOM); last row 审计链头 audit head (AuditHead)', responses: { 200: 'text/csv', 409: E(['not_graded']) } },
  { method: 'get', path: '/api/admin/assessments/:id/report.xlsx', tag: 'admin', summary: 'The report as XLSX; the counts sheet ends with 审计链头 audit head (AuditHead)', responses: { 200: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 409: E(['not_graded']) } },
  { method: 'post', path: '/api/admin/assessments/:id/publish', tag: 'admin', summary: 'Freeze grades, policy and scores and publish the aggregates', responses: { 200: '{ runId, published }', 409: E(['assessment_published', 'not_graded', 'invalid_state']) } },
  { method: 'get', path: '/api/public/assessments/:id/results', tag: 'public', summary: 'Published aggregates: counts per grade per category, change on the previous year; the current audit head', responses: { 200: '{ assessment, policy, groups, auditHead: AuditHead }', 404: E(['not_published', 'unknown_assessment']) } },
];

function operation(e: Endpoint) {
  const params = [...e.path.matchAll(/:(\w+)/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string', pattern: '^[1-9][0-9]*$' } }));
  return {
    summary: e.summary,
    ...(e.description ? { description: e.description } : {}),
    tags: [e.tag],
    ...(params.length > 0 ? { parameters: params } : {}),
    ...(e.body ? { requestBody: { required: true, content: { 'application/json': { schema: z.toJSONSchema(e.body, { io: 'input', unrepresentable: 'any' }) } } } } : {}),
    responses: Object.fromEntries(
      Object.entries(e.responses).map(([status, description]) => [
        status,
        Number(status) >= 400 ? { description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } } : { description },
      ]),
    ),
  };
}

export function openApiDocument() {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const e of ENDPOINTS) (paths[e.path.replace(/:(\w+)/g, '{$1}')] ??= {})[e.method] = operation(e);
  return {
    openapi: '3.1.0',
    info: { title: 'ceping 民主测评 API', version: '1.0.0', description: 'Errors are { error: { code, message } } with the message in the Accept-Language (Chinese by default).' },
    paths,
    components: {
      schemas: {
        AuditHead: {
          type: 'string',
          pattern: '^#(0|[1-9][0-9]*):[0-9a-f]{64}$',
          description: 'The audit log head as #<seq>:<sha-256 hex> (genesis #0:000…0). Write it down; `npm run audit:verify -- --head <it>` later fails if the chain no longer contains that entry.',
        },
        Error: {
          type: 'object',
          required: ['error'],
          properties: { error: { type: 'object', required: ['code', 'message'], properties: { code: { type: 'string', enum: Object.keys(ERROR_MESSAGES) }, message: { type: 'string' }, details: {} } } },
        },
      },
    },
  };
}
