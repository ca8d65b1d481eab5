import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, setUpSitting } from '../helpers/api-client';
import { startServer, type TestServer } from '../helpers/server';

let server: TestServer;
let admin: ApiClient;
let sittingId: number;
let otherSittingId: number;

beforeAll(async () => {
  server = await startServer();
  admin = await new ApiClient(server.url).login();
  ({ sittingId } = await setUpSitting(admin, { cadres: 3 }));
  ({ sittingId: otherSittingId } = await setUpSitting(admin, { cadres: 3 }));
  const organiser = await admin.post('/api/admin/users', { username: 'organiser1', password: 'organiser-password', role: 'organiser' });
  expect(organiser.status).toBe(201);
  expect((await admin.post(`/api/admin/sittings/${sittingId}/organisers`, { userId: organiser.body.id })).status).toBe(200);
});
afterAll(() => server.close());

describe('admin and organiser access', () => {
  it('asks for a login (401) before anything under /api/admin', async () => {
    const anonymous = new ApiClient(server.url);
    const res = await anonymous.get('/api/admin/assessments');
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('unauthenticated');
  });

  it('lets an organiser watch the turnout of an assigned sitting only, and nothing of an admin', async () => {
    const organiser = await new ApiClient(server.url).login('organiser1', 'organiser-password');
    expect((await organiser.get(`/api/admin/sittings/${sittingId}/turnout`)).status).toBe(200);
    expect((await organiser.get(`/api/admin/sittings/${otherSittingId}/turnout`)).status).toBe(403);
    for (const [method, path] of [
      ['GET', '/api/admin/assessments'],
      ['POST', `/api/admin/sittings/${sittingId}/open`],
      ['POST', `/api/admin/sittings/${sittingId}/tokens`],
      ['GET', `/api/admin/sittings/${sittingId}/results`],
      ['POST', '/api/admin/users'],
    ] as const) {
      const res = await organiser.request(method, path, method === 'POST' ? { voterGroup: '委员', count: 5 } : undefined);
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(res.body.error.code).toBe('forbidden');
    }
  });

  it('refuses a state change without our Origin, even with a valid session', async () => {
    const noOrigin = new ApiClient(server.url, null);
    noOrigin.cookie = admin.cookie;
    const res = await noOrigin.post(`/api/admin/sittings/${sittingId}/open`);
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('bad_origin');
    const foreign = new ApiClient(server.url, 'https://evil.example');
    foreign.cookie = admin.cookie;
    expect((await foreign.post(`/api/admin/sittings/${sittingId}/open`)).status).toBe(403);
    expect((await admin.get(`/api/admin/sittings/${sittingId}`)).body.status).toBe('draft');
  });

  it('sets an HttpOnly SameSite=Strict session cookie and ends it at logout', async () => {
    const client = new ApiClient(server.url);
    const res = await client.post('/api/admin/login', { username: 'admin', password: 'test-admin-password' });
    expect(res.headers.get('set-cookie')).toMatch(/HttpOnly/);
    expect(res.headers.get('set-cookie')).toMatch(/SameSite=Strict/);
    expect((await client.get('/api/admin/me')).status).toBe(200);
    const session = client.cookie;
    await client.post('/api/admin/logout');
    const replay = new ApiClient(server.url);
    replay.cookie = session;
    expect((await replay.get('/api/admin/me')).status).toBe(401);
  });

  it('answers in English when the request prefers it, Chinese otherwise', async () => {
    const res = await new ApiClient(server.url).request('GET', '/api/admin/me', undefined, { 'Accept-Language': 'en-GB,en;q=0.9' });
    expect(res.body.error.message).toBe('Please log in first.');
    expect((await new ApiClient(server.url).get('/api/admin/me')).body.error.message).toBe('请先登录。');
  });

  it('shows no per-subject results while a sitting is open, admins included', async () => {
    await admin.post(`/api/admin/sittings/${otherSittingId}/open`);
    const res = await admin.get(`/api/admin/sittings/${otherSittingId}/results`);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('sitting_not_closed');
    expect((await admin.get(`/api/public/sittings/${otherSittingId}/receipts`)).status).toBe(409);
  });

  it('audits every step of a sitting, a reopen included', async () => {
    await admin.post(`/api/admin/sittings/${otherSittingId}/close`);
    expect((await admin.post(`/api/admin/sittings/${otherSittingId}/open`)).status).toBe(200);
    const actions = server.db.$client.prepare(`SELECT action FROM audit_log WHERE target = ? ORDER BY seq`).all(`sitting:${otherSittingId}`) as { action: string }[];
    expect(actions.map((a) => a.action)).toEqual(['sitting.create', 'sitting.open', 'sitting.close', 'sitting.reopen']);
  });
});
