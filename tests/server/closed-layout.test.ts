import { sql } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Answers, BallotDefinition } from '../../shared/forms';
import { encodeAnswers } from '../../server/services/ballot-box/stored-answers';
import { dedupeHash } from '../../server/services/crypto';
import { ApiClient, setUpSitting } from '../helpers/api-client';
import { orderRho, type OrderRho } from '../helpers/page-order';
import { markedAnswers } from '../helpers/raw-file';
import { ENGINE, onSqlite, startServer, type TestServer } from '../helpers/server';

/**
 * No arrival order after close, on PostgreSQL, through the server as a sitting runs: ballots
 * cast over HTTP one after another, the sitting closed over HTTP, then each row's place in its
 * heap (ctid: page, line pointer) against its arrival, read from below. While the sitting is
 * open the probe sees the order; after the close it must not. (On SQLite the same property is
 * shown on the file's bytes: layout.test.ts.)
 */
const VOTERS = 150;
let server: TestServer;
let admin: ApiClient;
let sittingId: number;
const arrived: { ballot: string; receipt: string; dedupe: string }[] = [];

beforeAll(async () => {
  if (onSqlite) return;
  server = await startServer();
  admin = await new ApiClient(server.url).login();
  ({ sittingId } = await setUpSitting(admin, { cadres: 30 }));
  const param = { id: String(sittingId) };
  const tokens = (await admin.call(admin.api.admin.sittings[':id'].tokens.$post({ param, json: { voterGroup: '委员', count: VOTERS } }))).body.tokens;
  await admin.call(admin.api.admin.sittings[':id'].open.$post({ param }));
  const voter = new ApiClient(server.url, null);
  const definition: BallotDefinition = (await voter.call(voter.api.voter.ballot.$post({ json: { token: tokens[0]! } }))).body;
  // In an order that is not the slips' issue order.
  for (const [i, token] of [...tokens].reverse().entries()) {
    const answers: Answers = markedAnswers(definition, i);
    const submissionId = randomUUID();
    const res = await voter.call(voter.api.voter.submit.$post({ json: { token, submissionId, answers } }));
    expect(res.status).toBe(201);
    arrived.push({ ballot: encodeAnswers(definition.forms, answers), receipt: res.body.receipt, dedupe: dedupeHash(submissionId) });
  }
});
afterAll(() => server?.close());

/** Where each of the sitting's rows lies in its heap, against the order the ballots arrived in. */
async function rhos(): Promise<{ ballots: OrderRho; receipts: OrderRho; spentTokens: OrderRho }> {
  const rho = async (query: ReturnType<typeof sql>, arrivalOf: Map<string, number>) => {
    const { rows } = (await server.db.execute(query)) as unknown as { rows: { ctid: string; key: string }[] };
    const placed = rows
      .filter((r) => arrivalOf.has(r.key))
      .map((r) => {
        const [page, item] = r.ctid.slice(1, -1).split(',').map(Number) as [number, number];
        return { page, at: page * 65536 + item, arrival: arrivalOf.get(r.key)! };
      });
    expect(placed).toHaveLength(VOTERS);
    return orderRho(placed);
  };
  const order = (pick: (a: (typeof arrived)[number]) => string) => new Map(arrived.map((a, i) => [pick(a), i]));
  return {
    ballots: await rho(sql`SELECT ctid::text AS ctid, answers AS key FROM ballots WHERE sitting_id = ${sittingId}`, order((a) => a.ballot)),
    receipts: await rho(sql`SELECT ctid::text AS ctid, receipt AS key FROM receipts WHERE sitting_id = ${sittingId}`, order((a) => a.receipt)),
    spentTokens: await rho(sql`SELECT ctid::text AS ctid, dedupe_hash AS key FROM tokens WHERE sitting_id = ${sittingId} AND spent`, order((a) => a.dedupe)),
  };
}

describe.skipIf(onSqlite)(`the storage of a closed sitting on ${ENGINE}`, () => {
  it('holds the ballots and receipts in arrival order while the sitting is open (the probe sees an order)', async () => {
    const open = await rhos();
    expect(open.ballots.across).toBeGreaterThan(0.9);
    expect(open.receipts.across).toBeGreaterThan(0.9);
  });

  it('keeps no arrival order in any heap once the sitting is closed over HTTP', async () => {
    const res = await admin.call(admin.api.admin.sittings[':id'].close.$post({ param: { id: String(sittingId) } }));
    expect(res.status).toBe(200);
    const closed = await rhos();
    console.log(`ctid vs arrival after close: ballots ${closed.ballots.across.toFixed(3)}, receipts ${closed.receipts.across.toFixed(3)}, spent tokens ${closed.spentTokens.across.toFixed(3)}`);
    for (const r of [closed.ballots, closed.receipts, closed.spentTokens]) {
      expect(Math.abs(r.across)).toBeLessThan(0.3);
      expect(Math.abs(r.within)).toBeLessThan(0.3);
    }
  });
});
