import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiErrorBody } from '../../shared/errors';
import { ApiClient, setUpSitting, type ApiResponse, byId } from '../helpers/api-client';
import { startServer, type TestServer } from '../helpers/server';

/**
 * Acceptance 5: an organiser cannot reach admin endpoints and sees only their sittings; a state
 * change without a matching Origin is refused; bad logins slow down. And the console pages keep
 * the strict CSP.
 */
let server: TestServer;
let admin: ApiClient;
let organiser: ApiClient;
let mine: number;
let other: number;
let assessmentId: number;

/** The path parameter of a typed call. */

beforeAll(async () => {
  server = await startServer({ withClient: true });
  admin = await new ApiClient(server.url).login();
  ({ sittingId: mine, assessmentId } = await setUpSitting(admin));
  ({ sittingId: other } = await setUpSitting(admin));
  const created = await admin.call(admin.api.admin.users.$post({ json: { username: 'zuzhi', password: 'organiser-password', role: 'organiser' } }));
  expect(created.status).toBe(201);
  expect((await admin.call(admin.api.admin.sittings[':id'].organisers.$post({ ...byId(mine), json: { userId: created.body.id } }))).status).toBe(200);
  organiser = await new ApiClient(server.url).login('zuzhi', 'organiser-password');
});

afterAll(() => server.close());

/** A file route's answer read like `call` (status, parsed body): a refusal there is the contract's JSON error. */
async function fileCall(response: Promise<{ status: number; headers: Headers; json(): Promise<unknown> }>): Promise<ApiResponse<ApiErrorBody>> {
  const res = await response;
  return { status: res.status, body: (await res.json()) as ApiErrorBody, headers: res.headers };
}

describe('organisers', () => {
  it('see only the sittings assigned to them', async () => {
    const res = await organiser.call(organiser.api.admin.sittings.$get());
    expect(res.status).toBe(200);
    expect(res.body.sittings.map((s: { id: number }) => s.id)).toEqual([mine]);
    const all = await admin.call(admin.api.admin.sittings.$get());
    expect(all.body.sittings.map((s: { id: number }) => s.id).sort()).toEqual([mine, other].sort());
  });

  it('watch turnout and print slips of their sittings, and nothing of the others', async () => {
    const watch = (id: number) => {
      const sitting = organiser.api.admin.sittings[':id'];
      return [
        [`/api/admin/sittings/${id}/turnout`, () => organiser.call(sitting.turnout.$get(byId(id)))],
        [`/api/admin/sittings/${id}/turnout/minutes`, () => organiser.call(sitting.turnout.minutes.$get(byId(id)))],
        [`/api/admin/sittings/${id}/overview`, () => organiser.call(sitting.overview.$get(byId(id)))],
      ] as const;
    };
    for (const [path, send] of watch(mine)) {
      expect((await send()).status, path).toBe(200);
    }
    for (const [path, send] of watch(other)) {
      expect((await send()).status, path).toBe(403);
    }
    const pdf = (batchId: number) => organiser.api.admin.batches[':id']['slips.pdf'].$post(byId(batchId));
    const batch = await admin.call(admin.api.admin.sittings[':id'].tokens.$post({ ...byId(other), json: { voterGroup: '委员', count: 5 } }));
    expect((await pdf(batch.body.batchId)).status).toBe(403);
    const own = await admin.call(admin.api.admin.sittings[':id'].tokens.$post({ ...byId(mine), json: { voterGroup: '委员', count: 5 } }));
    expect((await pdf(own.body.batchId)).status).toBe(200);
  });

  it('are refused every admin endpoint with 403', async () => {
    const api = organiser.api.admin;
    const assessment = api.assessments[':id'];
    const sitting = api.sittings[':id'];
    const subject = api.subjects[':id'];
    // The exports' GET is the wrong method (an export comes only from a POST): sent raw.
    const gets: [string, () => Promise<ApiResponse>][] = [
      ['/api/admin/users', () => organiser.call(api.users.$get())],
      ['/api/admin/assessments', () => organiser.call(api.assessments.$get())],
      [`/api/admin/assessments/${assessmentId}`, () => organiser.call(assessment.$get(byId(assessmentId)))],
      [`/api/admin/assessments/${assessmentId}/subjects.csv`, () => fileCall(assessment['subjects.csv'].$get(byId(assessmentId)))],
      ['/api/admin/audit', () => organiser.call(api.audit.$get({ query: {} }))],
      [`/api/admin/sittings/${mine}/results`, () => organiser.call(sitting.results.$get(byId(mine)))],
      [`/api/admin/sittings/${mine}/results.xlsx`, () => organiser.get(`/api/admin/sittings/${mine}/results.xlsx`)],
      [`/api/admin/sittings/${mine}/results.csv`, () => organiser.get(`/api/admin/sittings/${mine}/results.csv`)],
    ];
    for (const [path, send] of gets) {
      const res = await send();
      expect(res.status, path).toBe(403);
      expect(res.body.error.code).toBe('forbidden');
    }
    // The uploads are files with their raw content type: sent raw.
    const csv = 'key,kind,name\nX,cadre,Y\n';
    const posts: [string, () => Promise<ApiResponse>][] = [
      [`/api/admin/sittings/${mine}/open`, () => organiser.call(sitting.open.$post(byId(mine)))],
      [`/api/admin/sittings/${mine}/close`, () => organiser.call(sitting.close.$post(byId(mine)))],
      [`/api/admin/sittings/${mine}/publish`, () => organiser.call(sitting.publish.$post(byId(mine)))],
      [`/api/admin/sittings/${mine}/dry-run/clear`, () => organiser.call(sitting['dry-run'].clear.$post(byId(mine)))],
      [`/api/admin/sittings/${mine}/tokens`, () => organiser.call(sitting.tokens.$post({ ...byId(mine), json: { voterGroup: '委员', count: 5 } }))],
      [`/api/admin/assessments/${assessmentId}/subjects/preview`, () => organiser.request('POST', `/api/admin/assessments/${assessmentId}/subjects/preview`, csv, { 'Content-Type': 'text/csv' })],
      [`/api/admin/assessments/${assessmentId}/subjects`, () => organiser.request('POST', `/api/admin/assessments/${assessmentId}/subjects`, csv, { 'Content-Type': 'text/csv' })],
      ['/api/admin/subjects/1', () => organiser.call(subject.$post({ ...byId(1), json: { name: '改名' } }))],
      ['/api/admin/subjects/1/delete', () => organiser.call(subject.delete.$post(byId(1)))],
      ['/api/admin/users', () => organiser.call(api.users.$post({ json: { username: 'x1', password: 'xxxxxxxxxxxx', role: 'admin' } }))],
    ];
    for (const [path, send] of posts) {
      const res = await send();
      expect(res.status, path).toBe(403);
    }
  });
});

describe('state changes', () => {
  it('are refused without a matching Origin, whatever the content type', async () => {
    const noOrigin = new ApiClient(server.url, null);
    noOrigin.cookie = admin.cookie;
    const evil = new ApiClient(server.url, 'http://evil.example');
    evil.cookie = admin.cookie;
    for (const client of [noOrigin, evil]) {
      for (const [path, body, type] of [
        [`/api/admin/sittings/${mine}/publish`, '{}', 'application/json'],
        [`/api/admin/sittings/${mine}/dry-run/clear`, '{}', 'application/json'],
        [`/api/admin/assessments/${assessmentId}/subjects`, 'key,kind,name\nX9,cadre,Y\n', 'text/csv'],
        ['/api/admin/subjects/1', 'name=x', 'application/x-www-form-urlencoded'],
      ] as const) {
        const res = await client.request('POST', path, body, { 'Content-Type': type });
        expect(res.status, path).toBe(403);
        expect(res.body.error.code).toBe('bad_origin');
      }
    }
    expect((await admin.call(admin.api.admin.assessments[':id'].subjects.$get(byId(assessmentId)))).body.subjects.some((s: { key: string }) => s.key === 'X9')).toBe(false);
  });
});

describe('logins', () => {
  it('slow down after repeated failures: ten bad passwords end in 429 with Retry-After', async () => {
    const guesser = new ApiClient(server.url);
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 10; i++) {
      const res = await guesser.call(guesser.api.admin.login.$post({ json: { username: 'zuzhi', password: `wrong-${i}` } }));
      statuses.push(res.status);
      if (res.status === 429) retryAfter = res.headers.get('retry-after');
    }
    expect(statuses.slice(0, 3)).toEqual([401, 401, 401]);
    expect(statuses).toContain(429);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    // The right password is refused too while the wait lasts.
    expect((await guesser.call(guesser.api.admin.login.$post({ json: { username: 'zuzhi', password: 'organiser-password' } }))).status).toBe(429);
  });
});

describe('console pages', () => {
  it('are served with the strict CSP and carry no inline script or style', async () => {
    for (const path of ['/admin', `/admin/sittings/${mine}/turnout`]) {
      const res = await fetch(server.url + path);
      expect(res.status).toBe(200);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("style-src 'self'");
      expect(csp).not.toContain('unsafe-inline');
      const html = await res.text();
      expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
      expect(html).not.toMatch(/<style|\sstyle=/);
    }
  });

  it('print slips with no inline style and the same origin stylesheet', async () => {
    const batch = await admin.call(admin.api.admin.sittings[':id'].tokens.$post({ ...byId(mine), json: { voterGroup: '委员', count: 12 } }));
    // The page at the URL the server handed out, as the console follows it: kept raw.
    const page = await admin.post(batch.body.slipsUrl);
    expect(page.status).toBe(200);
    expect(page.body).not.toMatch(/<style|\sstyle=|<script/);
    expect(page.body).toContain('href="/api/admin/slips.css"');
    expect((page.body as string).match(/class="sheet"/g)).toHaveLength(2);
    const css = await admin.api.admin['slips.css'].$get();
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toContain('text/css');
  });
});
