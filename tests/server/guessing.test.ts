import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiErrorBody } from '../../shared/errors';
import { ApiClient, setUpSitting } from '../helpers/api-client';
import { startServer, type TestServer } from '../helpers/server';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

function guess(i: number): string {
  return i.toString(32).replace(/[01]/g, 'a').replace(/[89]/g, 'b').padStart(26, 'q').slice(-26).replace(/[^a-z2-7]/g, 'z');
}

describe('guessing slips', () => {
  it('rate-limits unknown tokens from one address but keeps good slips working for the hall', async () => {
    const admin = await new ApiClient(server.url).login();
    const { sittingId } = await setUpSitting(admin, { cadres: 2, forms: ['cadre'] });
    const param = { id: String(sittingId) };
    const batch = await admin.call(admin.api.admin.sittings[':id'].tokens.$post({ param, json: { voterGroup: '委员', count: 5 } }));
    await admin.call(admin.api.admin.sittings[':id'].open.$post({ param }));
    const guesser = new ApiClient(server.url, null);
    const ballotOf = (token: string) => guesser.call(guesser.api.voter.ballot.$post({ json: { token } }));
    const statuses: number[] = [];
    for (let i = 0; i < 105; i++) statuses.push((await ballotOf(guess(i))).status);
    expect(statuses.slice(0, 100).every((s) => s === 404)).toBe(true);
    expect(statuses.slice(100)).toEqual([429, 429, 429, 429, 429]);
    const limited = await ballotOf(guess(999));
    expect((limited.body as unknown as ApiErrorBody).error.code).toBe('too_many_attempts');
    // Same address (the hall's NAT), a real slip: still served.
    expect((await ballotOf(batch.body.tokens[0]!)).status).toBe(200);
  });
});
