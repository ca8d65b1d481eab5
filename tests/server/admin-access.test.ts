import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../server/db/tables';
import { ApiClient, setUpSitting, byId, errorOf } from '../helpers/api-client';
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
  const organiser = await admin.call(admin.api.admin.users.$post({ json: { username: 'organiser1', password: 'organiser-password', role: 'organiser' } }));
  expect(organiser.status).toBe(201);
  expect((await admin.call(admin.api.admin.sittings[':id'].organisers.$post({ ...byId(sittingId), json: { userId: organiser.body.id } }))).status).toBe(200);
});
afterAll(() => server.close());

describe('admin and organiser access', () => {
  it('asks for a login (401) before anything under /api/admin', async () => {
    const anonymous = new ApiClient(server.url);
    const res = await anonymous.call(anonymous.api.admin.assessments.$get());
    expect(res.status).toBe(401);
    expect(errorOf(res).code).toBe('unauthenticated');
  });

  it('lets an organiser watch the turnout of an assigned sitting only, and nothing of an admin', async () => {
    const organiser = await new ApiClient(server.url).login('organiser1', 'organiser-password');
    const sitting = organiser.api.admin.sittings[':id'];
    expect((await organiser.call(sitting.turnout.$get(byId(sittingId)))).status).toBe(200);
    expect((await organiser.call(sitting.turnout.$get(byId(otherSittingId)))).status).toBe(403);
    for (const [label, attempt] of [
      ['GET /api/admin/assessments', () => organiser.call(organiser.api.admin.assessments.$get())],
      [`POST /api/admin/sittings/${sittingId}/open`, () => organiser.call(sitting.open.$post(byId(sittingId)))],
      [`POST /api/admin/sittings/${sittingId}/tokens`, () => organiser.call(sitting.tokens.$post({ ...byId(sittingId), json: { voterGroup: '委员', count: 5 } }))],
      [`GET /api/admin/sittings/${sittingId}/results`, () => organiser.call(sitting.results.$get(byId(sittingId)))],
      // Raw: the body every POST here was sent, which is not a user the route would accept.
      ['POST /api/admin/users', () => organiser.post('/api/admin/users', { voterGroup: '委员', count: 5 })],
    ] as const) {
      const res = await attempt();
      expect(res.status, label).toBe(403);
      expect(errorOf(res).code).toBe('forbidden');
    }
  });

  it('refuses a state change without our Origin, even with a valid session', async () => {
    const noOrigin = new ApiClient(server.url, null);
    noOrigin.cookie = admin.cookie;
    const res = await noOrigin.call(noOrigin.api.admin.sittings[':id'].open.$post(byId(sittingId)));
    expect(res.status).toBe(403);
    expect(errorOf(res).code).toBe('bad_origin');
    const foreign = new ApiClient(server.url, 'https://evil.example');
    foreign.cookie = admin.cookie;
    expect((await foreign.call(foreign.api.admin.sittings[':id'].open.$post(byId(sittingId)))).status).toBe(403);
    expect((await admin.call(admin.api.admin.sittings[':id'].$get(byId(sittingId)))).body.status).toBe('draft');
  });

  it('sets an HttpOnly SameSite=Strict session cookie and ends it at logout', async () => {
    const client = new ApiClient(server.url);
    const res = await client.call(client.api.admin.login.$post({ json: { username: 'admin', password: 'test-admin-password' } }));
    expect(res.headers.get('set-cookie')).toMatch(/HttpOnly/);
    expect(res.headers.get('set-cookie')).toMatch(/SameSite=Strict/);
    expect((await client.call(client.api.admin.me.$get())).status).toBe(200);
    const session = client.cookie;
    await client.call(client.api.admin.logout.$post());
    const replay = new ApiClient(server.url);
    replay.cookie = session;
    expect((await replay.call(replay.api.admin.me.$get())).status).toBe(401);
  });

  it('answers in English when the request prefers it, Chinese otherwise', async () => {
    const english = new ApiClient(server.url);
    const res = await english.call(english.api.admin.me.$get(undefined, { headers: { 'Accept-Language': 'en-GB,en;q=0.9' } }));
    expect(errorOf(res).message).toBe('Please log in first.');
    const chinese = new ApiClient(server.url);
    expect(errorOf(await chinese.call(chinese.api.admin.me.$get())).message).toBe('请先登录。');
  });

  it('shows no per-subject results while a sitting is open, admins included', async () => {
    await admin.call(admin.api.admin.sittings[':id'].open.$post(byId(otherSittingId)));
    const res = await admin.call(admin.api.admin.sittings[':id'].results.$get(byId(otherSittingId)));
    expect(res.status).toBe(409);
    expect(errorOf(res).code).toBe('sitting_not_closed');
    expect((await admin.call(admin.api.public.sittings[':id'].receipts.$get(byId(otherSittingId)))).status).toBe(409);
  });

  it('audits every step of a sitting, a reopen included', async () => {
    await admin.call(admin.api.admin.sittings[':id'].close.$post(byId(otherSittingId)));
    expect((await admin.call(admin.api.admin.sittings[':id'].open.$post(byId(otherSittingId)))).status).toBe(200);
    const actions = await server.db.select({ action: auditLog.action }).from(auditLog).where(eq(auditLog.target, `sitting:${otherSittingId}`)).orderBy(auditLog.seq);
    expect(actions.map((a) => a.action)).toEqual(['sitting.create', 'sitting.open', 'sitting.close', 'sitting.reopen']);
  });
});
