import { randomUUID } from 'node:crypto';
import { count } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { ballots } from '../../server/db/tables';
import type { Answers } from '../../shared/forms';
import { ApiClient, setUpSitting, byId, errorOf } from '../helpers/api-client';
import { startServer, type TestServer } from '../helpers/server';

let server: TestServer | undefined;
afterEach(() => server?.close());
const submit = (voter: ApiClient, json: { token: string; submissionId: string; answers: Answers }) => voter.call(voter.api.voter.submit.$post({ json }));

async function openSittingWithSlips(s: TestServer, slips: number) {
  const admin = await new ApiClient(s.url).login();
  const { sittingId } = await setUpSitting(admin, { cadres: 5, forms: ['cadre'] });
  const batch = await admin.call(admin.api.admin.sittings[':id'].tokens.$post({ ...byId(sittingId), json: { voterGroup: '委员', count: slips } }));
  await admin.call(admin.api.admin.sittings[':id'].open.$post(byId(sittingId)));
  const voter = new ApiClient(s.url, null);
  const ballot = await voter.call(voter.api.voter.ballot.$post({ json: { token: batch.body.tokens[0]! } }));
  const subjectId = String(ballot.body.forms[0]!.subjects[0]!.id);
  return { admin, sittingId, tokens: batch.body.tokens, answers: { cadre: { [subjectId]: { overall: 'competent' } } } };
}

describe('one slip, one ballot', () => {
  it('accepts exactly one of 30 concurrent submissions of one token with different submission ids', async () => {
    server = await startServer();
    const { admin, sittingId, tokens, answers } = await openSittingWithSlips(server, 5);
    const voter = new ApiClient(server.url, null);
    const responses = await Promise.all(Array.from({ length: 30 }, () => submit(voter, { token: tokens[0]!, submissionId: randomUUID(), answers })));
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(29);
    for (const r of responses.filter((r) => r.status === 409)) expect(errorOf(r).code).toBe('token_used');
    const turnout = await admin.call(admin.api.admin.sittings[':id'].turnout.$get(byId(sittingId)));
    expect(turnout.body.used).toBe(1);
  });

  it('gives the same receipt to the same submission sent 20 times, and counts one ballot', async () => {
    server = await startServer();
    const { admin, sittingId, tokens, answers } = await openSittingWithSlips(server, 5);
    const voter = new ApiClient(server.url, null);
    const submissionId = randomUUID();
    const responses = await Promise.all(Array.from({ length: 20 }, () => submit(voter, { token: tokens[1]!, submissionId, answers })));
    expect(responses.filter((r) => r.status === 201)).toHaveLength(1);
    expect(responses.filter((r) => r.status === 200 && r.body.duplicate === true)).toHaveLength(19);
    expect(new Set(responses.map((r) => r.body.receipt)).size).toBe(1);
    await admin.call(admin.api.admin.sittings[':id'].close.$post(byId(sittingId)));
    expect((await admin.call(admin.api.admin.sittings[':id'].results.$get(byId(sittingId)))).body.ballots).toBe(1);
  });

  it('leaves the token unspent when the submit transaction fails midway', async () => {
    let failNext = false;
    server = await startServer({
      faults: {
        afterSpend: () => {
          if (failNext) {
            failNext = false;
            throw new Error('simulated disk failure');
          }
        },
      },
    });
    const { admin, sittingId, tokens, answers } = await openSittingWithSlips(server, 5);
    const voter = new ApiClient(server.url, null);
    failNext = true;
    const failed = await submit(voter, { token: tokens[2]!, submissionId: randomUUID(), answers });
    expect(failed.status).toBe(500);
    expect(errorOf(failed).code).toBe('internal_error');
    expect(JSON.stringify(failed.body)).not.toContain('simulated');

    // Rolled back: the slip still opens its ballot, nothing was counted, and it can still vote.
    expect((await voter.call(voter.api.voter.ballot.$post({ json: { token: tokens[2]! } }))).status).toBe(200);
    expect((await admin.call(admin.api.admin.sittings[':id'].turnout.$get(byId(sittingId)))).body.used).toBe(0);
    expect(await server.db.select({ n: count() }).from(ballots)).toEqual([{ n: 0 }]);
    const retried = await submit(voter, { token: tokens[2]!, submissionId: randomUUID(), answers });
    expect(retried.status).toBe(201);
    expect((await admin.call(admin.api.admin.sittings[':id'].turnout.$get(byId(sittingId)))).body.used).toBe(1);
  });
});
