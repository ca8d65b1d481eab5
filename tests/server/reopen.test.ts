import { describe, expect, it } from 'vitest';
import { serverWithAdmin } from '../helpers/admin-server';
import { castBallot, setUpSitting, byId } from '../helpers/api-client';

/**
 * Reopen cannot isolate a ballot (SECURITY.md; issue 8, acceptance 6). The choice: a reopen is
 * allowed (and audited), but once results were released, the next results are withheld until at
 * least k ballots more than those released were cast: close → read → reopen → one ballot →
 * close gives no new numbers.
 */
const env = serverWithAdmin();

describe('reopening a closed sitting', () => {
  it('withholds the next results until k more ballots are cast, so no difference isolates a ballot', async () => {
    const { server, admin } = env;
    const { sittingId } = await setUpSitting(admin, { cadres: 3 });
    const sitting = admin.api.admin.sittings[':id'];
    const slips = (await admin.call(sitting.tokens.$post({ ...byId(sittingId), json: { voterGroup: '委员', count: 20 } }))).body.tokens;
    await admin.call(sitting.open.$post(byId(sittingId)));
    for (const token of slips.slice(0, 6)) expect(await castBallot(server.url, token)).toBe(201);
    expect((await admin.call(sitting.close.$post(byId(sittingId)))).status).toBe(200);
    const first = await admin.call(sitting.results.$get(byId(sittingId)));
    expect(first.body.forms.length).toBeGreaterThan(0);
    const firstCsv = await admin.post(`/api/admin/sittings/${sittingId}/results.csv`);

    // Reopen, one more ballot (rated 不称职 everywhere), close: nothing new is published.
    expect((await admin.call(sitting.open.$post(byId(sittingId)))).status).toBe(200);
    expect(await castBallot(server.url, slips[6]!, (q) => q.options[q.options.length - 1]!.value)).toBe(201);
    const closed = await admin.call(sitting.close.$post(byId(sittingId)));
    expect(closed.status).toBe(200);
    expect(closed.body.reconciliation).toMatchObject({ ballots: 7, balanced: true });
    const second = await admin.call(sitting.results.$get(byId(sittingId)));
    expect(second.status).toBe(200);
    expect(second.body.forms).toEqual([]);
    expect(second.body.withheld).toEqual({ reason: 'reopen_below_k', newBallots: 1, k: 5 });
    const csv = await admin.post(`/api/admin/sittings/${sittingId}/results.csv`);
    expect(csv.status).toBe(200);
    const subjectRows = (text: string) => text.split('\r\n').filter((line) => line.includes('干部'));
    expect(subjectRows(firstCsv.body).length).toBeGreaterThan(0);
    expect(subjectRows(csv.body)).toEqual([]);

    // With k more ballots since the release, results come back, every ballot counted.
    expect((await admin.call(sitting.open.$post(byId(sittingId)))).status).toBe(200);
    for (const token of slips.slice(7, 11)) expect(await castBallot(server.url, token)).toBe(201);
    await admin.call(sitting.close.$post(byId(sittingId)));
    const third = await admin.call(sitting.results.$get(byId(sittingId)));
    expect(third.body.withheld).toBeUndefined();
    expect(third.body.ballots).toBe(11);
    expect(third.body.forms[0]!.subjects[0]!.questions[0]!.valid).toBe(11);

    const audit = await admin.call(admin.api.admin.audit.$get({ query: { limit: '100' } }));
    const acts = audit.body.entries.filter((e) => e.target === `sitting:${sittingId}`).map((e) => e.action);
    expect(acts.filter((a) => a === 'sitting.reopen')).toHaveLength(2);
  });
});
