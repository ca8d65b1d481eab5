import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STREAM_LIMITS } from '../../server/limits';
import { ApiClient, castBallot, setUpSitting } from '../helpers/api-client';
import { startServer, type TestServer } from '../helpers/server';

/** Turnout streams (issue 9, acceptance 5): capped per session, and ended with the session. */
let server: TestServer;
let sittingId: number;
let slips: string[];

beforeAll(async () => {
  server = await startServer();
  const admin = await new ApiClient(server.url).login();
  ({ sittingId } = await setUpSitting(admin, { cadres: 2 }));
  const param = { id: String(sittingId) };
  slips = (await admin.call(admin.api.admin.sittings[':id'].tokens.$post({ param, json: { voterGroup: '委员', count: 60 } }))).body.tokens;
  await admin.call(admin.api.admin.sittings[':id'].open.$post({ param }));
});
afterAll(() => server.close());

function openStream(client: ApiClient): Promise<Response> {
  return fetch(`${server.url}/api/admin/sittings/${sittingId}/turnout/stream`, { headers: { Cookie: client.cookie! } });
}

/** Reads the stream until it ends (or the deadline passes); returns what arrived and whether it ended. */
async function readUntilEnd(res: Response, deadlineMs: number): Promise<{ text: string; ended: boolean }> {
  const reader = res.body!.getReader();
  let text = '';
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const left = deadline - Date.now();
    if (left <= 0) {
      await reader.cancel();
      return { text, ended: false };
    }
    const chunk = await Promise.race([reader.read(), new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), left))]);
    if (chunk === 'timeout') continue;
    if (chunk.done) return { text, ended: true };
    text += new TextDecoder().decode(chunk.value);
  }
}

describe('live turnout streams', () => {
  it(`allow ${STREAM_LIMITS.perSession} per session, refuse the next with 429, and free a slot when one closes`, async () => {
    const organiser = await new ApiClient(server.url).login();
    const controllers: AbortController[] = [];
    for (let i = 0; i < STREAM_LIMITS.perSession; i++) {
      const controller = new AbortController();
      const res = await fetch(`${server.url}/api/admin/sittings/${sittingId}/turnout/stream`, { headers: { Cookie: organiser.cookie! }, signal: controller.signal });
      expect(res.status).toBe(200);
      controllers.push(controller);
    }
    const refused = await openStream(organiser);
    expect(refused.status).toBe(429);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('too_many_streams');
    // Another session is not affected.
    const other = await new ApiClient(server.url).login();
    const theirs = await openStream(other);
    expect(theirs.status).toBe(200);
    await theirs.body!.cancel();

    controllers[0]!.abort();
    await new Promise((r) => setTimeout(r, 200));
    const again = await openStream(organiser);
    expect(again.status).toBe(200);
    await again.body!.cancel();
    for (const c of controllers) c.abort();
  });

  it('end when their session ends: after logout, the next push closes the stream instead of sending turnout', async () => {
    const watcher = await new ApiClient(server.url).login();
    const res = await openStream(watcher);
    expect(res.status).toBe(200);
    const reading = readUntilEnd(res, 10_000);
    await new Promise((r) => setTimeout(r, 300));
    expect((await watcher.call(watcher.api.admin.logout.$post())).status).toBe(200);
    expect(await castBallot(server.url, slips[0]!)).toBe(201); // a push
    const { text, ended } = await reading;
    expect(ended).toBe(true);
    expect(text.match(/event: turnout/g)).toHaveLength(1); // only the first, sent while logged in
  });

  it('coalesce a burst of ballots into at most 4 pushes a second, the last one with every ballot counted', async () => {
    const watcher = await new ApiClient(server.url).login();
    const res = await openStream(watcher);
    const reading = readUntilEnd(res, 4_000);
    await new Promise((r) => setTimeout(r, 300));
    const started = performance.now();
    const burst = slips.slice(10, 50);
    const cast = await Promise.all(burst.map((token) => castBallot(server.url, token)));
    expect(cast.every((s) => s === 201)).toBe(true);
    const elapsed = performance.now() - started;
    const { text } = await reading;
    const pushes = [...text.matchAll(/event: turnout\ndata: (.*)\n/g)].map((m) => JSON.parse(m[1]!) as { used: number });
    console.log(`turnout stream: ${burst.length} ballots in ${Math.round(elapsed)} ms gave ${pushes.length} pushes`);
    expect(pushes.length).toBeLessThanOrEqual(2 + Math.ceil((elapsed + 500) / STREAM_LIMITS.minPushIntervalMs));
    expect(pushes.length).toBeLessThan(burst.length);
    expect(pushes.at(-1)!.used).toBe(pushes[0]!.used + burst.length);
  });
});
