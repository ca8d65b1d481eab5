import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SLIPS_PAGE_CSP } from '../../server/services/slips/page';
import { ApiClient, castBallot, setUpSitting, byId } from '../helpers/api-client';
import { startServer, type TestServer } from '../helpers/server';

let server: TestServer;
let admin: ApiClient;
beforeAll(async () => {
  server = await startServer();
  admin = await new ApiClient(server.url).login();
});
afterAll(() => server.close());

/** The typed routes of a sitting, and the param naming one. */
const sitting = () => admin.api.admin.sittings[':id'];

const GROUPS = [
  { name: '上级', weight: 30 },
  { name: '同级', weight: 30 },
  { name: '下级', weight: 40 },
];

async function vote(token: string, overall: string) {
  expect(await castBallot(server.url, token, () => overall)).toBe(201);
}

describe('a sitting from slips to results', () => {
  it('prints a page of QR slips for a fresh batch and counts them as printed', async () => {
    const { sittingId } = await setUpSitting(admin, { cadres: 2, forms: ['cadre'] });
    const batch = await admin.call(sitting().tokens.$post({ ...byId(sittingId), json: { voterGroup: '委员', count: 6 } }));
    expect(batch.status).toBe(201);
    expect(batch.body.tokens).toHaveLength(6);
    expect(new Set(batch.body.tokens).size).toBe(6);
    const page = await admin.post(batch.body.slipsUrl);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.headers.get('cache-control')).toBe('no-store');
    // The page keeps its own, stricter policy: nothing but our stylesheet and inline QR images.
    expect(page.headers.get('content-security-policy')).toBe(SLIPS_PAGE_CSP);
    expect((page.body as string).match(/<svg/g)).toHaveLength(6);
    await admin.call(sitting().open.$post(byId(sittingId)));
    const closed = await admin.call(sitting().close.$post(byId(sittingId)));
    expect(closed.body.reconciliation).toMatchObject({ issued: 6, printed: 6, used: 0, unused: 6, ballots: 0, balanced: true });
    expect(closed.body.flags).toEqual(['low_turnout']);
  });

  it('warns when a batch is smaller than k, since its ballots could never be shown apart', async () => {
    const { sittingId } = await setUpSitting(admin, { cadres: 2, forms: ['cadre'] });
    const small = await admin.call(sitting().tokens.$post({ ...byId(sittingId), json: { voterGroup: '委员', count: 3 } }));
    expect(small.body.warnings).toEqual(['batch_below_k']);
  });

  it('pushes turnout to a live stream within a second of a ballot', async () => {
    const { sittingId } = await setUpSitting(admin, { cadres: 2, forms: ['cadre'] });
    const batch = await admin.call(sitting().tokens.$post({ ...byId(sittingId), json: { voterGroup: '委员', count: 5 } }));
    await admin.call(sitting().open.$post(byId(sittingId)));
    const controller = new AbortController();
    const stream = await fetch(`${server.url}/api/admin/sittings/${sittingId}/turnout/stream`, { headers: { Cookie: admin.cookie! }, signal: controller.signal });
    expect(stream.headers.get('content-type')).toContain('text/event-stream');
    const reader = stream.body!.getReader();
    const decoder = new TextDecoder();
    let received = '';
    const nextTurnout = async (): Promise<{ used: number }> => {
      for (;;) {
        const match = /event: turnout\ndata: (.*)\n\n/.exec(received);
        if (match) {
          received = received.slice(match.index + match[0].length);
          return JSON.parse(match[1]!);
        }
        const { value } = await reader.read();
        received += decoder.decode(value);
      }
    };
    expect((await nextTurnout()).used).toBe(0);
    const cast = performance.now();
    await vote(batch.body.tokens[0]!, 'competent');
    expect((await nextTurnout()).used).toBe(1);
    expect(performance.now() - cast).toBeLessThan(1000);
    controller.abort();
  });

  it('hides a voter group with fewer than k ballots, and one more so it cannot be subtracted out', async () => {
    const { sittingId } = await setUpSitting(admin, { cadres: 2, forms: ['cadre'], voterGroups: GROUPS });
    const slips: Record<string, string[]> = {};
    for (const [name, count] of [['上级', 3], ['同级', 6], ['下级', 8]] as const) {
      slips[name] = (await admin.call(sitting().tokens.$post({ ...byId(sittingId), json: { voterGroup: name, count } }))).body.tokens;
    }
    await admin.call(sitting().open.$post(byId(sittingId)));
    for (const t of slips['上级']!) await vote(t, 'excellent');
    for (const t of slips['同级']!) await vote(t, 'competent');
    for (const t of slips['下级']!) await vote(t, 'basically_competent');
    await admin.call(sitting().close.$post(byId(sittingId)));
    const results = await admin.call(sitting().results.$get(byId(sittingId)));
    expect(results.body.groups.map((g) => [g.name, g.shown])).toEqual([['上级', false], ['同级', false], ['下级', true]]);
    const subject = results.body.forms[0]!.subjects[0]!;
    expect(subject.byGroup!.map((g) => g.group)).toEqual(['下级']);
    // Every ballot counts, the hidden groups as one pool at their summed weight (no differencing):
    // 0.6 · (3·100 + 6·80) / 9 + 0.4 · 60 = 76.
    expect(subject.scores.democraticScore).toBe(76);
    expect(subject.questions[0]!.counts).toEqual({ excellent: 3, competent: 6, basically_competent: 8, incompetent: 0 });
  });
});
