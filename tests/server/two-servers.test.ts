import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOGIN_LIMITS } from '../../server/limits';
import { ApiClient, castBallot, setUpSitting } from '../helpers/api-client';
import { processDatabase, startServerProcess, type ServerProcess } from '../helpers/process';
import { ADMIN_PASSWORD, ENGINE } from '../helpers/server';

/**
 * Two app servers on one database behave as one (issue 14, point 3): two real server
 * processes, as `npm start` runs them with CEPING_SHARED_DATABASE=1, on the same SQLite file or
 * the same PostgreSQL database, each reached on its own port as a load balancer would.
 * (PGlite lives inside one process: no second server can share it.)
 */
const dir = mkdtempSync(join(tmpdir(), 'ceping-two-servers-'));
const database = await processDatabase(dir);
let a: ServerProcess;
let b: ServerProcess;
let adminA: ApiClient;
let sittingId: number;
let tokens: string[];

beforeAll(async () => {
  if (!database) return;
  // CEPING_SHARED_DATABASE=1: each is told that others use its database (the throttles count there).
  const env = { ...database.env, ADMIN_PASSWORD, CEPING_DEMO: '0', CEPING_SHARED_DATABASE: '1' };
  a = await startServerProcess(env);
  b = await startServerProcess(env);
  adminA = await new ApiClient(a.url).login();
  ({ sittingId } = await setUpSitting(adminA, { cadres: 5, forms: ['cadre'] }));
  const param = { id: String(sittingId) };
  tokens = (await adminA.call(adminA.api.admin.sittings[':id'].tokens.$post({ param, json: { voterGroup: '委员', count: 10 } }))).body.tokens;
  await adminA.call(adminA.api.admin.sittings[':id'].open.$post({ param }));
}, 60_000);

afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await database?.drop();
  rmSync(dir, { recursive: true, force: true });
});

/** The `used` counts a turnout stream pushes, each with when it arrived. */
async function watchTurnout(server: ServerProcess, cookie: string, seen: { used: number; at: number }[], signal: AbortSignal): Promise<void> {
  const res = await fetch(`${server.url}/api/admin/sittings/${sittingId}/turnout/stream`, { headers: { Cookie: cookie }, signal });
  expect(res.status).toBe(200);
  const reader = res.body!.getReader();
  let text = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      text += new TextDecoder().decode(value);
      for (const [, data] of text.matchAll(/event: turnout\ndata: (.*)\n/g)) seen.push({ used: (JSON.parse(data!) as { used: number }).used, at: performance.now() });
      text = text.slice(text.lastIndexOf('\n\n') + 2);
    }
  } catch {
    // aborted
  }
}

describe.skipIf(!database)(`two app servers on one database (${ENGINE})`, () => {
  it('spend a slip once: 30 parallel submits of one token split across them give exactly one 201', async () => {
    const voterA = new ApiClient(a.url, null);
    const definition = (await voterA.call(voterA.api.voter.ballot.$post({ json: { token: tokens[0]! } }))).body;
    const form = definition.forms[0]!;
    const answers = { [form.id]: Object.fromEntries(form.subjects.map((s) => [String(s.id), Object.fromEntries(form.questions.map((q) => [q.id, q.options[1]!.value]))])) };
    const statuses = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        fetch(`${(i % 2 ? a : b).url}/api/voter/submit`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ token: tokens[0], submissionId: randomUUID(), answers }) }).then(async (res) => ({
          status: res.status,
          code: res.ok ? null : ((await res.json()) as { error: { code: string } }).error.code,
        })),
      ),
    );
    expect(statuses.filter((s) => s.status === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s.status === 409 && s.code === 'token_used')).toHaveLength(29);
  });

  it('show a ballot cast on one on a turnout stream held on the other within 1 s, with one login for both', async () => {
    const controller = new AbortController();
    const seen: { used: number; at: number }[] = [];
    // The session made on A opens the stream on B: sessions live in the database.
    const watching = watchTurnout(b, adminA.cookie!, seen, controller.signal);
    try {
      const deadline = performance.now() + 5000;
      while (seen.length === 0 && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      const before = seen.at(-1)!.used;
      const cast = performance.now();
      expect(await castBallot(a.url, tokens[1]!)).toBe(201);
      while (!seen.some((s) => s.used > before) && performance.now() < cast + 5000) await new Promise((r) => setTimeout(r, 10));
      const shown = seen.find((s) => s.used > before);
      expect(shown, 'the ballot never reached the stream on the other server').toBeDefined();
      console.log(`turnout across servers: ballot on A shown on B after ${Math.round(shown!.at - cast)} ms`);
      expect(shown!.at - cast).toBeLessThan(1000);
      expect(shown!.used).toBe(before + 1);
    } finally {
      controller.abort();
      await watching;
    }
  });

  it('keep a fresh batch\'s clear tokens on the server that issued them: its print page is there, and not on the other', async () => {
    const param = { id: String(sittingId) };
    const issued = await adminA.call(adminA.api.admin.sittings[':id'].tokens.$post({ param, json: { voterGroup: '委员', count: 2 } }));
    expect(issued.status).toBe(201);
    const path = `/api/admin/batches/${issued.body.batchId}/slips`;
    expect((await adminA.get(path)).status).toBe(200);
    const adminOnB = new ApiClient(b.url);
    adminOnB.cookie = adminA.cookie;
    const elsewhere = await adminOnB.get(path);
    expect(elsewhere.status).toBe(404);
    expect(elsewhere.body.error.code).toBe('unknown_batch');
    expect(elsewhere.body.error.message).toContain('另一台服务器');
    // Nor are they in the database the two share.
    const bytes = await database!.contents();
    for (const token of issued.body.tokens) expect(bytes.includes(token)).toBe(false);
  });

  it('throttle a login flood on one on the other too', async () => {
    const flooded = new ApiClient(a.url);
    for (let i = 0; i < LOGIN_LIMITS.strangerPerUsername.failures; i++) expect((await flooded.post('/api/admin/login', { username: 'admin', password: `wrong-${i}` })).status).toBe(401);
    expect((await flooded.post('/api/admin/login', { username: 'admin', password: 'wrong-again' })).status).toBe(429);
    // A stranger on B, the right password even: the username's budget is spent on A.
    const onB = await new ApiClient(b.url).post('/api/admin/login', { username: 'admin', password: ADMIN_PASSWORD });
    expect(onB.status).toBe(429);
    expect(onB.body.error.code).toBe('too_many_attempts');
  });

  it('share the slip-guessing budget: guesses on one spend it on the other', async () => {
    const guess = (server: ServerProcess) => fetch(`${server.url}/api/voter/ballot`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ token: 'a'.repeat(26) }) }).then((r) => r.status);
    const statuses: number[] = [];
    for (let i = 0; i < 100; i++) statuses.push(await guess(i % 2 ? a : b));
    expect(statuses.every((s) => s === 404)).toBe(true);
    expect(await guess(a)).toBe(429);
    expect(await guess(b)).toBe(429);
    // Shared through the database, yet it (the SQLite file and its WAL, or every row) holds no address of the guesser.
    const bytes = await database!.contents();
    expect(bytes.length).toBeGreaterThan(0);
    expect(bytes.includes('127.0.0.1')).toBe(false);
  });
});
