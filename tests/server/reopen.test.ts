import { describe, expect, it } from 'vitest';
import { serverWithAdmin } from '../helpers/admin-server';
import { castBallot, setUpSitting } from '../helpers/api-client';

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
    const slips = (await admin.post(`/api/admin/sittings/${sittingId}/tokens`, { voterGroup: '委员', count: 20 })).body.tokens as string[];
    await admin.post(`/api/admin/sittings/${sittingId}/open`);
    for (const token of slips.slice(0, 6)) expect(await castBallot(server.url, token)).toBe(201);
    expect((await admin.post(`/api/admin/sittings/${sittingId}/close`)).status).toBe(200);
    const first = await admin.get(`/api/admin/sittings/${sittingId}/results`);
    expect(first.body.forms.length).toBeGreaterThan(0);
    const firstCsv = await admin.post(`/api/admin/sittings/${sittingId}/results.csv`);

    // Reopen, one more ballot (rated 不称职 everywhere), close: nothing new is published.
    expect((await admin.post(`/api/admin/sittings/${sittingId}/open`)).status).toBe(200);
    expect(await castBallot(server.url, slips[6]!, (q) => q.options[q.options.length - 1]!.value)).toBe(201);
    const closed = await admin.post(`/api/admin/sittings/${sittingId}/close`);
    expect(closed.status).toBe(200);
    expect(closed.body.reconciliation).toMatchObject({ ballots: 7, balanced: true });
    const second = await admin.get(`/api/admin/sittings/${sittingId}/results`);
    expect(second.status).toBe(200);
    expect(second.body.forms).toEqual([]);
    expect(second.body.withheld).toEqual({ reason: 'reopen_below_k', newBallots: 1, k: 5 });
    const csv = await admin.post(`/api/admin/sittings/${sittingId}/results.csv`);
    expect(csv.status).toBe(200);
    const subjectRows = (text: string) => text.split('\r\n').filter((line) => line.includes('干部'));
    expect(subjectRows(firstCsv.body).length).toBeGreaterThan(0);
    expect(subjectRows(csv.body)).toEqual([]);

    // With k more ballots since the release, results come back, every ballot counted.
    expect((await admin.post(`/api/admin/sittings/${sittingId}/open`)).status).toBe(200);
    for (const token of slips.slice(7, 11)) expect(await castBallot(server.url, token)).toBe(201);
    await admin.post(`/api/admin/sittings/${sittingId}/close`);
    const third = await admin.get(`/api/admin/sittings/${sittingId}/results`);
    expect(third.body.withheld).toBeUndefined();
    expect(third.body.ballots).toBe(11);
    expect(third.body.forms[0].subjects[0].questions[0].valid).toBe(11);

    const audit = await admin.get('/api/admin/audit?limit=100');
    const acts = (audit.body.entries as { action: string; target: string }[]).filter((e) => e.target === `sitting:${sittingId}`).map((e) => e.action);
    expect(acts.filter((a) => a === 'sitting.reopen')).toHaveLength(2);
  });
});
