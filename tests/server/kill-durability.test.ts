import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ApiClient, setUpSitting } from '../helpers/api-client';
import { processDatabase, startServerProcess, type ServerProcess } from '../helpers/process';
import { ENGINE } from '../helpers/server';

const dir = mkdtempSync(join(tmpdir(), 'ceping-kill-'));
let running: ServerProcess | undefined;
const database = await processDatabase(dir);
afterAll(async () => {
  await running?.stop();
  await database?.drop();
  rmSync(dir, { recursive: true, force: true });
});

// On the SQLite file, or on a PostgreSQL server (the 201 follows PostgreSQL's commit); PGlite
// lives inside one process and is not a store a server is killed on.
describe.skipIf(!database)(`durable acknowledgements on ${ENGINE}`, () => {
  it('keeps every acknowledged ballot when the server is killed with SIGKILL mid-load', async () => {
    const env = { ...database!.env, ADMIN_PASSWORD: 'kill-test-password', CEPING_DEMO: '0' };
    running = await startServerProcess(env);
    const admin = await new ApiClient(running.url).login('admin', env.ADMIN_PASSWORD);
    const { sittingId } = await setUpSitting(admin, { cadres: 20, forms: ['cadre'] });
    const param = { id: String(sittingId) };
    const batch = await admin.call(admin.api.admin.sittings[':id'].tokens.$post({ param, json: { voterGroup: '委员', count: 400 } }));
    await admin.call(admin.api.admin.sittings[':id'].open.$post({ param }));
    const voter = new ApiClient(running.url, null);
    const definition = await voter.call(voter.api.voter.ballot.$post({ json: { token: batch.body.tokens[0]! } }));
    const answers = { cadre: Object.fromEntries(definition.body.forms[0]!.subjects.map((s) => [String(s.id), { overall: 'competent' }])) };

    const acknowledged: string[] = [];
    const victim = running;
    let killed = false;
    const voters = batch.body.tokens.map(async (token, i) => {
      await new Promise((r) => setTimeout(r, i * 2));
      try {
        const res = await voter.call(voter.api.voter.submit.$post({ json: { token, submissionId: randomUUID(), answers } }));
        if (res.status === 201) acknowledged.push(res.body.receipt);
        if (acknowledged.length === 120 && !killed) {
          killed = true;
          victim.child.kill('SIGKILL');
        }
      } catch {
        // the server died under this request: no acknowledgement was received
      }
    });
    await Promise.all(voters);
    expect(killed).toBe(true);
    await new Promise((r) => (victim.child.exitCode !== null || victim.child.signalCode !== null ? r(null) : victim.child.once('exit', r)));
    expect(acknowledged.length).toBeGreaterThanOrEqual(120);
    expect(acknowledged.length).toBeLessThan(400);

    running = await startServerProcess(env);
    const again = await new ApiClient(running.url).login('admin', env.ADMIN_PASSWORD);
    expect((await again.call(again.api.admin.sittings[':id'].close.$post({ param }))).status).toBe(200);
    const anyone = new ApiClient(running.url, null);
    const board = await anyone.call(anyone.api.public.sittings[':id'].receipts.$get({ param }));
    const published = new Set(board.body.receipts);
    expect(acknowledged.filter((r) => !published.has(r))).toEqual([]);
    const results = await again.call(again.api.admin.sittings[':id'].results.$get({ param }));
    expect(results.body.reconciliation.balanced).toBe(true);
    console.log(`kill -9: ${acknowledged.length} acknowledged before the kill, ${published.size} on the board after restart`);
  });
});
