import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
    const batch = await admin.post(`/api/admin/sittings/${sittingId}/tokens`, { voterGroup: '委员', count: 5 });
    await admin.post(`/api/admin/sittings/${sittingId}/open`);
    const guesser = new ApiClient(server.url, null);
    const statuses: number[] = [];
    for (let i = 0; i < 105; i++) statuses.push((await guesser.post('/api/voter/ballot', { token: guess(i) })).status);
    expect(statuses.slice(0, 100).every((s) => s === 404)).toBe(true);
    expect(statuses.slice(100)).toEqual([429, 429, 429, 429, 429]);
    const limited = await guesser.post('/api/voter/ballot', { token: guess(999) });
    expect(limited.body.error.code).toBe('too_many_attempts');
    // Same address (the hall's NAT), a real slip: still served.
    expect((await guesser.post('/api/voter/ballot', { token: batch.body.tokens[0] })).status).toBe(200);
  });
});
