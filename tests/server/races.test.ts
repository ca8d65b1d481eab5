import { describe, expect, it } from 'vitest';
import { serverWithAdmin } from '../helpers/admin-server';
import { castBallot, setUpSitting, byId, errorOf } from '../helpers/api-client';

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
    const json = { username: 'organiser-race', password: 'a-long-password-1', role: 'organiser' } as const;
    const both = await Promise.all([admin.call(admin.api.admin.users.$post({ json })), admin.call(admin.api.admin.users.$post({ json }))]);
    expect(statuses(both)).toEqual([201, 409]);
    expect(errorOf(both.find((r) => r.status === 409)!).code).toBe('username_taken');
    const users = (await admin.call(admin.api.admin.users.$get())).body.users;
    expect(users.filter((u) => u.username === 'organiser-race')).toHaveLength(1);
  });

  it('importing the same subjects twice: one 201, one 409 duplicate_subject_key', async () => {
    const { admin } = env;
    const a = await admin.call(admin.api.admin.assessments.$post({ json: { name: '并发导入', year: 2026 } }));
    const list = Array.from({ length: 50 }, (_, i) => ({ key: `R${i}`, kind: 'cadre' as const, name: `干部${i}` }));
    const subjects = admin.api.admin.assessments[':id'].subjects;
    const both = await Promise.all([admin.call(subjects.$post({ ...byId(a.body.id), json: list })), admin.call(subjects.$post({ ...byId(a.body.id), json: list }))]);
    expect(statuses(both)).toEqual([201, 409]);
    expect(errorOf(both.find((r) => r.status === 409)!).code).toBe('duplicate_subject_key');
    expect((await admin.call(subjects.$get(byId(a.body.id)))).body.subjects).toHaveLength(50);
  });

  it('opening and closing at once, closing twice, publishing twice: 200 or 409 invalid_state, never 5xx', async () => {
    const { admin, server } = env;
    const { sittingId } = await setUpSitting(admin, { cadres: 2 });
    const sitting = admin.api.admin.sittings[':id'];
    const param = byId(sittingId);
    const slips = (await admin.call(sitting.tokens.$post({ ...param, json: { voterGroup: '委员', count: 6 } }))).body.tokens;
    const openClose = await Promise.all([admin.call(sitting.open.$post(param)), admin.call(sitting.close.$post(param))]);
    for (const r of openClose) expect([200, 409]).toContain(r.status);
    if ((await admin.call(sitting.$get(param))).body.status !== 'open') await admin.call(sitting.open.$post(param));
    for (const token of slips.slice(0, 5)) expect(await castBallot(server.url, token)).toBe(201);

    const closesLogged = async () => (await admin.call(admin.api.admin.audit.$get({ query: { limit: '500' } }))).body.entries.filter((e) => e.action === 'sitting.close' && e.target === `sitting:${sittingId}`).length;
    const before = await closesLogged();
    const closes = await Promise.all([admin.call(sitting.close.$post(param)), admin.call(sitting.close.$post(param))]);
    expect(statuses(closes)).toEqual([200, 409]);
    expect(errorOf(closes.find((r) => r.status === 409)!).code).toBe('invalid_state');
    expect(await closesLogged()).toBe(before + 1);

    const publishes = await Promise.all([admin.call(sitting.publish.$post(param)), admin.call(sitting.publish.$post(param))]);
    expect(statuses(publishes)).toEqual([200, 200]);
    expect((await admin.call(sitting.$get(param))).body.status).toBe('published');
  });

  it('two grading runs and two publications of an assessment at once: no 5xx, one publication', async () => {
    const { admin } = env;
    const loaded = await admin.call(admin.api.admin['demo-province'].$post());
    expect(loaded.status).toBe(201);
    const id = loaded.body.currentId;
    const assessment = admin.api.admin.assessments[':id'];
    const runs = await Promise.all([admin.call(assessment.grading.$post({ ...byId(id), json: {} })), admin.call(assessment.grading.$post({ ...byId(id), json: {} }))]);
    for (const r of runs) expect(r.status, JSON.stringify(r.body).slice(0, 200)).toBeLessThan(300);

    const publishes = await Promise.all([admin.call(assessment.publish.$post(byId(id))), admin.call(assessment.publish.$post(byId(id)))]);
    for (const r of publishes) expect(r.status).toBeLessThan(500);
    expect(publishes.filter((r) => r.status < 300)).toHaveLength(1);
    expect(errorOf(publishes.find((r) => r.status >= 400)!).code).toBe('assessment_published');
    const audit = (await admin.call(admin.api.admin.audit.$get({ query: { limit: '500' } }))).body.entries;
    expect(audit.filter((e) => e.action === 'grading.publish' && e.target === `assessment:${id}`)).toHaveLength(1);
  });
});
