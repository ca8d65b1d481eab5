import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, byId, castBallot, setUpSitting } from '../helpers/api-client';
import { startServer, type TestServer } from '../helpers/server';

/**
 * The committee's report PDF takes pdfkit seconds to draw (the demo province: 25 pages). Made
 * while a sitting is under way, it must not hold back the voters: their ballots are answered at
 * their usual pace during the export. Run alone (vitest.solo.config.ts): the figure is the server's.
 */
let server: TestServer;
let admin: ApiClient;
let currentId: number;

beforeAll(async () => {
  server = await startServer();
  admin = await new ApiClient(server.url).login();
  const loaded = await admin.call(admin.api.admin['demo-province'].$post());
  expect(loaded.status).toBe(201);
  currentId = loaded.body.currentId;
});
afterAll(() => server.close());

describe('a report PDF exported during a live sitting', () => {
  it('keeps answering voters at their usual pace while it is drawn', async () => {
    const { sittingId } = await setUpSitting(admin, { cadres: 20 });
    const slips = (await admin.call(admin.api.admin.sittings[':id'].tokens.$post({ ...byId(sittingId), json: { voterGroup: '委员', count: 300 } }))).body.tokens;
    await admin.call(admin.api.admin.sittings[':id'].open.$post(byId(sittingId)));

    /** Ballots one after another until `until` settles (or `most` are cast): the slowest round trip, and how many were cast. */
    const voteUntil = async (until: Promise<unknown>, most = Infinity) => {
      let done = false;
      void until.finally(() => (done = true));
      let slowest = 0;
      let cast = 0;
      while (!done && cast < most && slips.length > 0) {
        const started = performance.now();
        expect(await castBallot(server.url, slips.pop()!)).toBe(201);
        slowest = Math.max(slowest, performance.now() - started);
        cast++;
      }
      return { slowest, cast };
    };

    const quiet = await voteUntil(new Promise(() => {}), 20);
    const startedExport = performance.now();
    const exported = admin.api.admin.assessments[':id']['report.pdf'].$post(byId(currentId)).then(async (res) => {
      expect(res.status).toBe(200);
      return (await res.arrayBuffer()).byteLength;
    });
    const during = await voteUntil(exported);
    const exportMs = performance.now() - startedExport;
    expect(await exported).toBeGreaterThan(50_000);
    console.log(`report PDF exported in ${exportMs.toFixed(0)} ms; ballots meanwhile: ${during.cast}, slowest ${during.slowest.toFixed(0)} ms; before it: slowest ${quiet.slowest.toFixed(0)} ms of ${quiet.cast}`);
    // Drawn on the event loop, a ballot sent during the export waited for all of it (~2 s).
    expect(during.cast).toBeGreaterThan(2);
    expect(during.slowest).toBeLessThan(Math.max(400, 4 * quiet.slowest));
  });
});
