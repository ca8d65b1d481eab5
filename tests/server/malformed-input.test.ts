import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentedEndpoints } from '../helpers/contract';

const ENDPOINTS = (await documentedEndpoints()).filter((e) => e.path !== '/api/openapi.json');
import { ApiClient, setUpSitting, type ApiResponse } from '../helpers/api-client';
import { everyRow } from '../helpers/database-image';
import { startServer, type TestServer } from '../helpers/server';

/**
 * Nothing a client sends may produce a 5xx or change anything (issue 2, acceptance 7):
 * broken JSON, wrong types, oversize bodies and unknown ids to every endpoint, then a
 * property-based fuzz of thousands of bodies.
 */
let server: TestServer;
let admin: ApiClient;
let sittingId: number;
let assessmentId: number;
let token: string;
let subjectId: string;

/** Every row of every table, on either engine. */
const snapshot = () => everyRow(server);

/** Previews take any file and answer 200 with the problems they found: never a 5xx, never a save. */
const isPreview = (path: string) => path.endsWith('/preview');

function expectRefusedOrPreviewed(res: ApiResponse, path: string, what: string): void {
  if (isPreview(path) && res.status === 200) expect(res.body.problems.length, what).toBeGreaterThan(0);
  else expectClientError(res, what);
}

function expectClientError(res: ApiResponse, what: string): void {
  expect(res.status, `${what} → ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`).toBeGreaterThanOrEqual(400);
  expect(res.status, what).toBeLessThan(500);
  expect(typeof res.body?.error?.code, what).toBe('string');
  expect(typeof res.body?.error?.message, what).toBe('string');
}

/** File uploads: any bytes are a file to read, so they take part in the body tests. */
const UPLOADS = new Set(['/api/admin/assessments/:id/subjects/preview', '/api/admin/assessments/:id/inputs/import']);

/** Actions whose effect does not depend on a body (open, close, publish, …): sent only with unknown ids. */
const BODYLESS_ACTIONS = new Set(ENDPOINTS.filter((e) => e.method === 'post' && !e.body && !UPLOADS.has(e.path)).map((e) => e.path));

function pathWith(path: string, id: string | number): string {
  return path.replace(':id', String(id));
}

function realPath(path: string): string {
  return pathWith(path, path.includes('/assessments/') ? assessmentId : sittingId);
}

beforeAll(async () => {
  server = await startServer();
  admin = await new ApiClient(server.url).login();
  ({ sittingId, assessmentId } = await setUpSitting(admin, { cadres: 3, forms: ['cadre'] }));
  const param = { id: String(sittingId) };
  const batch = await admin.call(admin.api.admin.sittings[':id'].tokens.$post({ param, json: { voterGroup: '委员', count: 5 } }));
  token = batch.body.tokens[0]!;
  await admin.call(admin.api.admin.sittings[':id'].open.$post({ param }));
  const ballot = await admin.call(admin.api.voter.ballot.$post({ json: { token } }));
  subjectId = String(ballot.body.forms[0]!.subjects[0]!.id);
});

afterAll(() => server.close());

describe('malformed input to every endpoint', () => {
  it('answers broken JSON, wrong types, oversize bodies and unknown ids with a 4xx and a code, changing nothing', async () => {
    const before = await snapshot();
    const posts = ENDPOINTS.filter((e) => e.method === 'post' && !BODYLESS_ACTIONS.has(e.path));
    for (const e of posts) {
      const path = realPath(e.path);
      expectRefusedOrPreviewed(await admin.request('POST', path, '{"token": "abc", ', { 'Content-Type': 'application/json' }), path, `${e.path} broken JSON`);
      expectRefusedOrPreviewed(await admin.request('POST', path, 'not json at all', { 'Content-Type': 'text/plain' }), path, `${e.path} plain text`);
      for (const wrong of [null, 42, 'text', [], [1, 2], { token: 5 }, { name: ['x'], year: 'soon' }, { username: {}, password: 1 }, { voterGroup: '委员', count: -3 }, { voterGroup: '委员', count: 1e9 }]) {
        expectRefusedOrPreviewed(await admin.post(path, wrong === null ? 'null' : wrong), path, `${e.path} ${JSON.stringify(wrong)}`);
      }
      expectClientError(await admin.request('POST', path, JSON.stringify({ padding: 'x'.repeat(5 * 1024 * 1024) }), { 'Content-Type': 'application/json' }), `${e.path} oversize`);
    }
    for (const e of ENDPOINTS.filter((e) => e.path.includes(':id'))) {
      for (const id of ['999999', 'abc', '0', '-1', '1e3', '%00']) {
        const res = e.method === 'get' ? await admin.get(pathWith(e.path, id)) : await admin.post(pathWith(e.path, id), {});
        expectClientError(res, `${e.method} ${e.path} id=${id}`);
      }
    }
    expect(await snapshot()).toBe(before);
  });

  it('survives thousands of fuzzed bodies with zero 5xx and no change to the database', { timeout: 180_000 }, async () => {
    const before = await snapshot();
    const targets = ENDPOINTS.filter((e) => e.method === 'post' && !BODYLESS_ACTIONS.has(e.path) && e.path !== '/api/admin/login');
    const nearValidSubmit = fc.record({
      token: fc.oneof(fc.constant(token), fc.string(), fc.integer()),
      submissionId: fc.oneof(fc.uuid(), fc.string()),
      // Always one answer the ballot cannot hold, so nothing valid is ever cast.
      answers: fc.jsonValue().map((v) => ({ ...(typeof v === 'object' && v !== null && !Array.isArray(v) ? v : {}), cadre: { [subjectId]: { overall: 'not-an-option' } } })),
    });
    let requests = 0;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...targets), fc.oneof(fc.jsonValue(), nearValidSubmit), async (endpoint, body) => {
        const path = endpoint.path === '/api/voter/submit' || !endpoint.path.includes(':id') ? endpoint.path : realPath(endpoint.path);
        const res = await admin.request('POST', path, JSON.stringify(body), { 'Content-Type': 'application/json' });
        requests++;
        expect(res.status).toBeLessThan(500);
        if (res.status >= 400) expect(typeof res.body.error.code).toBe('string');
      }),
      { numRuns: 2000 },
    );
    expect(requests).toBe(2000);
    expect(await snapshot()).toBe(before);
    // The slip the fuzzer hammered still works.
    const ok = await admin.call(admin.api.voter.submit.$post({ json: { token, submissionId: randomUUID(), answers: { cadre: { [subjectId]: { overall: 'excellent' } } } } }));
    expect(ok.status).toBe(201);
  });
});
