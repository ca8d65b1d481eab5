import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, setUpSitting } from '../helpers/api-client';
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

beforeAll(async () => {
  server = await startServer({ withClient: true });
  admin = await new ApiClient(server.url).login();
  ({ sittingId: mine, assessmentId } = await setUpSitting(admin));
  ({ sittingId: other } = await setUpSitting(admin));
  const created = await admin.post('/api/admin/users', { username: 'zuzhi', password: 'organiser-password', role: 'organiser' });
  expect(created.status).toBe(201);
  expect((await admin.post(`/api/admin/sittings/${mine}/organisers`, { userId: created.body.id })).status).toBe(200);
  organiser = await new ApiClient(server.url).login('zuzhi', 'organiser-password');
});

afterAll(() => server.close());

describe('organisers', () => {
  it('see only the sittings assigned to them', async () => {
    const res = await organiser.get('/api/admin/sittings');
    expect(res.status).toBe(200);
    expect(res.body.sittings.map((s: { id: number }) => s.id)).toEqual([mine]);
    const all = await admin.get('/api/admin/sittings');
    expect(all.body.sittings.map((s: { id: number }) => s.id).sort()).toEqual([mine, other].sort());
  });

  it('watch turnout and print slips of their sittings, and nothing of the others', async () => {
    for (const path of [`/api/admin/sittings/${mine}/turnout`, `/api/admin/sittings/${mine}/turnout/minutes`, `/api/admin/sittings/${mine}/overview`]) {
      expect((await organiser.get(path)).status, path).toBe(200);
    }
    for (const path of [`/api/admin/sittings/${other}/turnout`, `/api/admin/sittings/${other}/turnout/minutes`, `/api/admin/sittings/${other}/overview`]) {
      expect((await organiser.get(path)).status, path).toBe(403);
    }
    const batch = await admin.post(`/api/admin/sittings/${other}/tokens`, { voterGroup: '委员', count: 5 });
    expect((await organiser.post(`/api/admin/batches/${batch.body.batchId}/slips.pdf`)).status).toBe(403);
    const own = await admin.post(`/api/admin/sittings/${mine}/tokens`, { voterGroup: '委员', count: 5 });
    expect((await organiser.post(`/api/admin/batches/${own.body.batchId}/slips.pdf`)).status).toBe(200);
  });

  it('are refused every admin endpoint with 403', async () => {
    const gets = ['/api/admin/users', '/api/admin/assessments', `/api/admin/assessments/${assessmentId}`, `/api/admin/assessments/${assessmentId}/subjects.csv`, '/api/admin/audit', `/api/admin/sittings/${mine}/results`, `/api/admin/sittings/${mine}/results.xlsx`, `/api/admin/sittings/${mine}/results.csv`];
    for (const path of gets) {
      const res = await organiser.get(path);
      expect(res.status, path).toBe(403);
      expect(res.body.error.code).toBe('forbidden');
    }
    const posts: [string, unknown][] = [
      [`/api/admin/sittings/${mine}/open`, {}],
      [`/api/admin/sittings/${mine}/close`, {}],
      [`/api/admin/sittings/${mine}/publish`, {}],
      [`/api/admin/sittings/${mine}/dry-run/clear`, {}],
      [`/api/admin/sittings/${mine}/tokens`, { voterGroup: '委员', count: 5 }],
      [`/api/admin/assessments/${assessmentId}/subjects/preview`, 'key,kind,name\nX,cadre,Y\n'],
      [`/api/admin/assessments/${assessmentId}/subjects`, 'key,kind,name\nX,cadre,Y\n'],
      ['/api/admin/subjects/1', { name: '改名' }],
      ['/api/admin/subjects/1/delete', {}],
      ['/api/admin/users', { username: 'x1', password: 'xxxxxxxxxxxx', role: 'admin' }],
    ];
    for (const [path, body] of posts) {
      const res = await organiser.request('POST', path, body, typeof body === 'string' ? { 'Content-Type': 'text/csv' } : {});
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
    expect((await admin.get(`/api/admin/assessments/${assessmentId}/subjects`)).body.subjects.some((s: { key: string }) => s.key === 'X9')).toBe(false);
  });
});

describe('logins', () => {
  it('slow down after repeated failures: ten bad passwords end in 429 with Retry-After', async () => {
    const guesser = new ApiClient(server.url);
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 10; i++) {
      const res = await guesser.post('/api/admin/login', { username: 'zuzhi', password: `wrong-${i}` });
      statuses.push(res.status);
      if (res.status === 429) retryAfter = res.headers.get('retry-after');
    }
    expect(statuses.slice(0, 3)).toEqual([401, 401, 401]);
    expect(statuses).toContain(429);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    // The right password is refused too while the wait lasts.
    expect((await guesser.post('/api/admin/login', { username: 'zuzhi', password: 'organiser-password' })).status).toBe(429);
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
    const batch = await admin.post(`/api/admin/sittings/${mine}/tokens`, { voterGroup: '委员', count: 12 });
    const page = await admin.post(batch.body.slipsUrl);
    expect(page.status).toBe(200);
    expect(page.body).not.toMatch(/<style|\sstyle=|<script/);
    expect(page.body).toContain('href="/api/admin/slips.css"');
    expect((page.body as string).match(/class="sheet"/g)).toHaveLength(2);
    const css = await admin.get('/api/admin/slips.css');
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toContain('text/css');
  });
});
