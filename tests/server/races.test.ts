import { describe, expect, it } from 'vitest';
import { serverWithAdmin } from '../helpers/admin-server';
import { castBallot, setUpSitting } from '../helpers/api-client';

/**
 * Two admins acting at once (issue 9, acceptance 3): each pair is fired together with
 * Promise.all; unique and state conflicts answer 409 with a code, never a 5xx, and the state
 * afterwards is what one of them alone would have left.
 */
const env = serverWithAdmin();

const statuses = (responses: { status: number }[]) => responses.map((r) => r.status).sort();

describe('two admins at once', () => {
  it('creating the same account twice: one 201, one 409 username_taken, one account', async () => {
    const { admin } = env;
    const body = { username: 'organiser-race', password: 'a-long-password-1', role: 'organiser' };
    const both = await Promise.all([admin.post('/api/admin/users', body), admin.post('/api/admin/users', body)]);
    expect(statuses(both)).toEqual([201, 409]);
    expect(both.find((r) => r.status === 409)!.body.error.code).toBe('username_taken');
    const users = (await admin.get('/api/admin/users')).body.users as { username: string }[];
    expect(users.filter((u) => u.username === 'organiser-race')).toHaveLength(1);
  });

  it('importing the same subjects twice: one 201, one 409 duplicate_subject_key', async () => {
    const { admin } = env;
    const a = await admin.post('/api/admin/assessments', { name: '并发导入', year: 2026 });
    const list = Array.from({ length: 50 }, (_, i) => ({ key: `R${i}`, kind: 'cadre', name: `干部${i}` }));
    const both = await Promise.all([admin.post(`/api/admin/assessments/${a.body.id}/subjects`, list), admin.post(`/api/admin/assessments/${a.body.id}/subjects`, list)]);
    expect(statuses(both)).toEqual([201, 409]);
    expect(both.find((r) => r.status === 409)!.body.error.code).toBe('duplicate_subject_key');
    expect((await admin.get(`/api/admin/assessments/${a.body.id}/subjects`)).body.subjects).toHaveLength(50);
  });

  it('opening and closing at once, closing twice, publishing twice: 200 or 409 invalid_state, never 5xx', async () => {
    const { admin, server } = env;
    const { sittingId } = await setUpSitting(admin, { cadres: 2 });
    const slips = (await admin.post(`/api/admin/sittings/${sittingId}/tokens`, { voterGroup: '委员', count: 6 })).body.tokens as string[];
    const openClose = await Promise.all([admin.post(`/api/admin/sittings/${sittingId}/open`), admin.post(`/api/admin/sittings/${sittingId}/close`)]);
    for (const r of openClose) expect([200, 409]).toContain(r.status);
    if ((await admin.get(`/api/admin/sittings/${sittingId}`)).body.status !== 'open') await admin.post(`/api/admin/sittings/${sittingId}/open`);
    for (const token of slips.slice(0, 5)) expect(await castBallot(server.url, token)).toBe(201);

    const closesLogged = async () => ((await admin.get('/api/admin/audit?limit=500')).body.entries as { action: string; target: string }[]).filter((e) => e.action === 'sitting.close' && e.target === `sitting:${sittingId}`).length;
    const before = await closesLogged();
    const closes = await Promise.all([admin.post(`/api/admin/sittings/${sittingId}/close`), admin.post(`/api/admin/sittings/${sittingId}/close`)]);
    expect(statuses(closes)).toEqual([200, 409]);
    expect(closes.find((r) => r.status === 409)!.body.error.code).toBe('invalid_state');
    expect(await closesLogged()).toBe(before + 1);

    const publishes = await Promise.all([admin.post(`/api/admin/sittings/${sittingId}/publish`), admin.post(`/api/admin/sittings/${sittingId}/publish`)]);
    expect(statuses(publishes)).toEqual([200, 200]);
    expect((await admin.get(`/api/admin/sittings/${sittingId}`)).body.status).toBe('published');
  });

  it('two grading runs and two publications of an assessment at once: no 5xx, one publication', async () => {
    const { admin } = env;
    const loaded = await admin.post('/api/admin/demo-province');
    expect(loaded.status).toBe(201);
    const id = loaded.body.currentId as number;
    const runs = await Promise.all([admin.post(`/api/admin/assessments/${id}/grading`, {}), admin.post(`/api/admin/assessments/${id}/grading`, {})]);
    for (const r of runs) expect(r.status, JSON.stringify(r.body).slice(0, 200)).toBeLessThan(300);

    const publishes = await Promise.all([admin.post(`/api/admin/assessments/${id}/publish`), admin.post(`/api/admin/assessments/${id}/publish`)]);
    for (const r of publishes) expect(r.status).toBeLessThan(500);
    expect(publishes.filter((r) => r.status < 300)).toHaveLength(1);
    expect(publishes.find((r) => r.status >= 400)!.body.error.code).toBe('assessment_published');
    const audit = (await admin.get('/api/admin/audit?limit=500')).body.entries as { action: string; target: string }[];
    expect(audit.filter((e) => e.action === 'grading.publish' && e.target === `assessment:${id}`)).toHaveLength(1);
  });
});
