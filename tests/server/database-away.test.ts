import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, castBallot, setUpSitting } from '../helpers/api-client';
import { ENGINE, startServer, type TestServer } from '../helpers/server';

/**
 * A PostgreSQL server ends the app's connections (a restart, an operator's
 * pg_terminate_backend): requests meanwhile get 503 busy, never a 500 or a dead process, and the
 * app reconnects by itself. Only where there is a server to end connections (not SQLite or PGlite).
 */
let server: TestServer;
let admin: ApiClient;
let sittingId: number;
let tokens: string[];

beforeAll(async () => {
  if (ENGINE !== 'postgres') return;
  server = await startServer();
  admin = await new ApiClient(server.url).login();
  ({ sittingId } = await setUpSitting(admin, { cadres: 3, forms: ['cadre'] }));
  const param = { id: String(sittingId) };
  tokens = (await admin.call(admin.api.admin.sittings[':id'].tokens.$post({ param, json: { voterGroup: '委员', count: 5 } }))).body.tokens;
  await admin.call(admin.api.admin.sittings[':id'].open.$post({ param }));
});

/** Ends every connection of the test's database but the one asking; how many it ended. */
async function endConnections(): Promise<number> {
  const { rows } = (await server.db.execute(
    sql`SELECT count(pg_terminate_backend(pid))::int AS ended FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`,
  )) as unknown as { rows: { ended: number }[] };
  return rows[0]!.ended;
}
afterAll(() => server?.close());

describe.skipIf(ENGINE !== 'postgres')('the database ending the connections', () => {
  it('answers 503 busy or the answer, never 500, and works again by itself', async () => {
    // Fill the pool, then end its connections.
    await Promise.all(Array.from({ length: 12 }, () => admin.call(admin.api.admin.assessments.$get())));
    expect(await endConnections()).toBeGreaterThan(0);
    const statuses: number[] = [];
    for (let i = 0; i < 15; i++) statuses.push((await admin.call(admin.api.admin.assessments.$get())).status);
    expect(statuses.every((s) => s === 200 || s === 503)).toBe(true);
    expect(statuses.at(-1)).toBe(200);
    expect(server.logs.some((line) => / 500 /.test(line))).toBe(false);
  });

  it('keeps pushing turnout after the turnout listener\'s connection was ended', async () => {
    const controller = new AbortController();
    const res = await fetch(`${server.url}/api/admin/sittings/${sittingId}/turnout/stream`, { headers: { Cookie: admin.cookie! }, signal: controller.signal });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    let text = '';
    const usedSeen = async (used: number, withinMs: number) => {
      const deadline = Date.now() + withinMs;
      while (Date.now() < deadline) {
        const chunk = await Promise.race([reader.read(), new Promise<null>((r) => setTimeout(() => r(null), deadline - Date.now()))]);
        if (!chunk || chunk.done) break;
        text += new TextDecoder().decode(chunk.value);
        if (text.includes(`"used":${used},`)) return true;
      }
      return false;
    };
    try {
      expect(await usedSeen(0, 2000)).toBe(true);
      expect(await endConnections()).toBeGreaterThan(0);
      await new Promise((r) => setTimeout(r, 1500)); // the listener's second to reconnect
      expect(await castBallot(server.url, tokens[0]!)).toBe(201);
      expect(await usedSeen(1, 3000)).toBe(true);
    } finally {
      controller.abort();
    }
  });
});
