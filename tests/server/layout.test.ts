import { randomUUID } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Answers } from '../../shared/forms';
import { hashToken } from '../../server/services/crypto';
import { ApiClient, setUpSitting } from '../helpers/api-client';
import { arrivalRho, locate, markedAnswers, rawFiles, storedTextsInArrivalOrder } from '../helpers/raw-file';
import { onSqlite, startServer, type TestServer } from '../helpers/server';
import { spearman } from '../helpers/stats';

/**
 * Where ballots lie in the database file (SECURITY.md, storage layout), checked the way an
 * insider with a copy of the file would: each ballot's content is found in the raw bytes, and
 * its byte offset is ranked against the order in which the ballots arrived. 200 ballots of 80
 * cadres (cadre + political forms: 480 cells, stored as 480 bytes, see stored-answers.ts).
 */
const VOTERS = 200;
const CADRES = 80;

let server: TestServer;
let admin: ApiClient;
let sittingId: number;
/** The answers sent and the receipts handed out, in arrival order. */
const sent: Answers[] = [];
const receipts: string[] = [];
const slipsUsed: string[] = [];

beforeAll(async () => {
  server = await startServer();
  admin = await new ApiClient(server.url).login();
  ({ sittingId } = await setUpSitting(admin, { cadres: CADRES, forms: [{ kind: 'cadre', maxTopShare: 0.3 }, 'political'] }));
  const param = { id: String(sittingId) };
  const batch = await admin.call(admin.api.admin.sittings[':id'].tokens.$post({ param, json: { voterGroup: '委员', count: VOTERS } }));
  expect(batch.status).toBe(201);
  expect((await admin.call(admin.api.admin.sittings[':id'].open.$post({ param }))).status).toBe(200);
  const voter = new ApiClient(server.url, null);
  for (const [index, token] of batch.body.tokens.entries()) {
    const definition = await voter.call(voter.api.voter.ballot.$post({ json: { token } }));
    const answers = markedAnswers(definition.body, index);
    const submitted = await voter.call(voter.api.voter.submit.$post({ json: { token, submissionId: randomUUID(), answers } }));
    expect(submitted.status).toBe(201);
    sent.push(answers);
    receipts.push(submitted.body.receipt);
    slipsUsed.push(token);
  }
});

afterAll(() => server.close());

// The SQLite file's bytes (the hooks above skip with it); PostgreSQL's layout: pg-layout.test.ts.
describe.skipIf(!onSqlite)('where ballots lie in the database file', () => {
  it('follows arrival while the sitting is open (the documented residual risk), so the probe can see an order', () => {
    const located = locate(rawFiles(server.dbFile), storedTextsInArrivalOrder(server.dbFile, sittingId, sent));
    const rho = arrivalRho(located);
    console.log(`layout while open: rho head ${rho.head.toFixed(3)}, tail ${rho.tail.toFixed(3)}`);
    // Cells sorted by random id within their page blur it (1.000 when ballots were 10 KB of JSON
    // on overflow pages; ~0.7 as 480-byte cells), but pages still fill in commit order.
    expect(rho.tail).toBeGreaterThan(0.5);
  });

  it('no longer follows arrival once the sitting is closed, and no stale copy is left', async () => {
    const texts = storedTextsInArrivalOrder(server.dbFile, sittingId, sent);
    expect((await admin.call(admin.api.admin.sittings[':id'].close.$post({ param: { id: String(sittingId) } }))).status).toBe(200);
    // The WAL is checkpointed and truncated: the main file is all there is.
    expect(!existsSync(`${server.dbFile}-wal`) || statSync(`${server.dbFile}-wal`).size === 0).toBe(true);

    const after = storedTextsInArrivalOrder(server.dbFile, sittingId, sent);
    expect(after).toEqual(texts); // the same ballots, only moved
    const located = locate(rawFiles(server.dbFile), after);
    const rho = arrivalRho(located);
    console.log(`layout after close: rho head ${rho.head.toFixed(3)}, tail ${rho.tail.toFixed(3)}`);
    expect(Math.abs(rho.head)).toBeLessThan(0.3);
    expect(Math.abs(rho.tail)).toBeLessThan(0.3);
    // Freed pages are zeroed (secure_delete): each ballot's content is in the file once.
    expect(located.every((l) => l.copies === 1)).toBe(true);
  });

  it('leaves no trace of when each slip was spent (an organiser knows who got which slip)', () => {
    const bytes = rawFiles(server.dbFile);
    // The token hash is public knowledge (server/services/crypto.ts): whoever holds a slip can find its row.
    const at = slipsUsed.map((token) => bytes.indexOf(Buffer.from(hashToken(token))));
    expect(at.every((x) => x >= 0)).toBe(true);
    const rho = spearman(at, slipsUsed.map((_, i) => i));
    console.log(`slips: rho between spend order and byte offset ${rho.toFixed(3)}`);
    expect(Math.abs(rho)).toBeLessThan(0.3);
  });

  it('keeps receipts apart from ballots: a receipt sits where neither its ballot nor its arrival could be read from', () => {
    const bytes = rawFiles(server.dbFile);
    const located = locate(bytes, storedTextsInArrivalOrder(server.dbFile, sittingId, sent));
    const receiptAt = receipts.map((r) => bytes.indexOf(Buffer.from(r)));
    expect(receiptAt.every((at) => at >= 0)).toBe(true);
    const withBallot = spearman(receiptAt, located.map((l) => l.tail));
    const withArrival = spearman(receiptAt, receipts.map((_, i) => i));
    console.log(`receipts: rho with their ballots ${withBallot.toFixed(3)}, with arrival ${withArrival.toFixed(3)}`);
    expect(Math.abs(withBallot)).toBeLessThan(0.3);
    expect(Math.abs(withArrival)).toBeLessThan(0.3);
  });
});
