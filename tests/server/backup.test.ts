import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Answers } from '../../shared/forms';
import { ApiClient, castBallot, setUpSitting, byId } from '../helpers/api-client';
import { npmScript as npmRun } from '../helpers/process';
import { arrivalRho, locate, markedAnswers, storedTextsInArrivalOrder } from '../helpers/raw-file';
import { onSqlite, startServer, type TestServer } from '../helpers/server';

/**
 * `npm run backup -- FILE` while the server runs (issue 8, acceptance 2): the copy is consistent,
 * its layout does not follow arrival even for a sitting still open, and a server restored from
 * it has the same ballots, tallies, receipts and audit chain.
 */
const OPEN_VOTERS = 150;

let server: TestServer;
let restored: TestServer | undefined;
let admin: ApiClient;
let dir: string;
let backupFile: string;
let closedId: number;
let openId: number;
let closeHead: string;
const sentToOpen: Answers[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ceping-backup-'));
  backupFile = join(dir, 'backup.sqlite');
  server = await startServer();
  admin = await new ApiClient(server.url).login();

  // A closed sitting with results and receipts.
  ({ sittingId: closedId } = await setUpSitting(admin, { cadres: 8 }));
  const sitting = admin.api.admin.sittings[':id'];
  const closedSlips = await admin.call(sitting.tokens.$post({ ...byId(closedId), json: { voterGroup: '委员', count: 12 } }));
  await admin.call(sitting.open.$post(byId(closedId)));
  for (const [i, token] of closedSlips.body.tokens.entries()) expect(await castBallot(server.url, token, (q) => q.options[(i + 1) % q.options.length]!.value)).toBe(201);
  const closed = await admin.call(sitting.close.$post(byId(closedId)));
  expect(closed.status).toBe(200);
  closeHead = closed.body.auditHead;

  // A sitting still open, its ballots in arrival order in the live files.
  ({ sittingId: openId } = await setUpSitting(admin, { cadres: 60, forms: [{ kind: 'cadre', maxTopShare: 0.3 }, 'political'] }));
  const openSlips = await admin.call(sitting.tokens.$post({ ...byId(openId), json: { voterGroup: '委员', count: OPEN_VOTERS } }));
  await admin.call(sitting.open.$post(byId(openId)));
  const voter = new ApiClient(server.url, null);
  for (const [index, token] of openSlips.body.tokens.entries()) {
    const definition = await voter.call(voter.api.voter.ballot.$post({ json: { token } }));
    const answers = markedAnswers(definition.body, index);
    expect((await voter.call(voter.api.voter.submit.$post({ json: { token, submissionId: randomUUID(), answers } }))).status).toBe(201);
    sentToOpen.push(answers);
  }
});

afterAll(async () => {
  await restored?.close();
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

// A copy of the SQLite file, its byte layout, and a server restored from it (the hooks above skip with it).
describe.skipIf(!onSqlite)('npm run backup', () => {
  it('writes a consistent copy while the server runs and keeps answering voters', async () => {
    const [backup, answered] = await Promise.all([npmRun('backup', [backupFile], server.dbFile), fetch(`${server.url}/api/openapi.json`)]);
    expect(backup.code, backup.out).toBe(0);
    expect(backup.out).toContain('备份完成');
    expect(answered.status).toBe(200);
    expect(existsSync(backupFile)).toBe(true);
    expect(existsSync(`${backupFile}-wal`)).toBe(false);
  });

  it('refuses to overwrite an existing file', async () => {
    const again = await npmRun('backup', [backupFile], server.dbFile);
    expect(again.code).not.toBe(0);
    expect(again.out).toContain('已存在');
  });

  it('lays out the ballots of a sitting still open in an order unrelated to arrival', () => {
    const texts = storedTextsInArrivalOrder(backupFile, openId, sentToOpen);
    const rho = arrivalRho(locate(readFileSync(backupFile), texts));
    console.log(`backup layout of an open sitting: rho head ${rho.head.toFixed(3)}, tail ${rho.tail.toFixed(3)}`);
    expect(Math.abs(rho.head)).toBeLessThan(0.3);
    expect(Math.abs(rho.tail)).toBeLessThan(0.3);
  });

  it('restores into a server with the same ballots, tallies, receipts and audit chain', async () => {
    const before = {
      results: (await admin.call(admin.api.admin.sittings[':id'].results.$get(byId(closedId)))).body,
      receipts: (await admin.call(admin.api.public.sittings[':id'].receipts.$get(byId(closedId)))).body.receipts,
    };
    restored = await startServer({ restoreFrom: backupFile });
    const restoredAdmin = await new ApiClient(restored.url).login();
    const sitting = restoredAdmin.api.admin.sittings[':id'];
    const results = await restoredAdmin.call(sitting.results.$get(byId(closedId)));
    expect(results.status).toBe(200);
    expect(results.body).toEqual(before.results);
    expect((await restoredAdmin.call(restoredAdmin.api.public.sittings[':id'].receipts.$get(byId(closedId)))).body.receipts).toEqual(before.receipts);

    // The open sitting carries on: its ballots are all there and count at close.
    const closed = await restoredAdmin.call(sitting.close.$post(byId(openId)));
    expect(closed.status).toBe(200);
    expect(closed.body.reconciliation).toMatchObject({ ballots: OPEN_VOTERS, used: OPEN_VOTERS, balanced: true });

    const verified = await npmRun('audit:verify', ['--head', closeHead], restored.dbFile);
    expect(verified.code, verified.out).toBe(0);
  });
});
