import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Answers, BallotDefinition } from '../../shared/forms';
import { ApiClient, setUpSitting } from '../helpers/api-client';
import { ENGINE, startServer, type TestServer } from '../helpers/server';

/**
 * Submits that arrive together are committed together on either engine (group commit), yet each
 * ballot is judged on its own: over HTTP, a burst mixing good ballots with refused ones gets each
 * its own answer, and only the good ones count.
 */
let server: TestServer;
let admin: ApiClient;
let sittingId: number;
let tokens: string[];
let definition: BallotDefinition;
const param = () => ({ id: String(sittingId) });
const answers = (): Answers => Object.fromEntries(definition.forms.map((f) => [f.id, Object.fromEntries(f.subjects.map((s) => [String(s.id), { overall: 'competent' }]))]));
const submit = (token: string, body: Answers = answers(), submissionId = randomUUID()) =>
  fetch(`${server.url}/api/voter/submit`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ token, submissionId, answers: body }) }).then(async (res) => ({
    status: res.status,
    body: (await res.json()) as { receipt?: string; error?: { code: string } },
  }));
const used = async () => (await admin.call(admin.api.admin.sittings[':id'].turnout.$get({ param: param() }))).body.used;

beforeAll(async () => {
  server = await startServer();
  admin = await new ApiClient(server.url).login();
  ({ sittingId } = await setUpSitting(admin, { cadres: 3, forms: ['cadre'] }));
  tokens = (await admin.call(admin.api.admin.sittings[':id'].tokens.$post({ param: param(), json: { voterGroup: '委员', count: 40 } }))).body.tokens;
  await admin.call(admin.api.admin.sittings[':id'].open.$post({ param: param() }));
  const voter = new ApiClient(server.url, null);
  definition = (await voter.call(voter.api.voter.ballot.$post({ json: { token: tokens[0]! } }))).body;
});
afterAll(() => server?.close());

describe(`a burst of submits on ${ENGINE}`, () => {
  it('answers each ballot of a burst on its own: the good ones cast, the refused ones alone refused', async () => {
    expect((await submit(tokens[0]!)).status).toBe(201);
    const burst = await Promise.all([
      submit(tokens[1]!),
      submit(tokens[0]!), // a second ballot on a spent slip
      submit(tokens[2]!, { cadre: { '999999': { overall: 'competent' } } }), // not on the form
      submit('a'.repeat(26)), // no such slip
      submit(tokens[3]!),
    ]);
    expect(burst.map((r) => r.status)).toEqual([201, 409, 422, 404, 201]);
    expect(burst.map((r) => r.body.error?.code ?? 'cast')).toEqual(['cast', 'token_used', 'invalid_answers', 'unknown_token', 'cast']);
    expect(await used()).toBe(3);
    // The refused invalid ballot left its slip unspent.
    expect((await submit(tokens[2]!)).status).toBe(201);
  });

  it('casts 30 ballots sent at once exactly once each, and one slip sent 10 times at once once', async () => {
    const before = await used();
    const many = await Promise.all(tokens.slice(10, 40).map((token) => submit(token)));
    expect(many.every((r) => r.status === 201)).toBe(true);
    expect(new Set(many.map((r) => r.body.receipt)).size).toBe(30);
    expect(await used()).toBe(before + 30);
    const same = await Promise.all(Array.from({ length: 10 }, () => submit(tokens[4]!)));
    expect(same.filter((r) => r.status === 201)).toHaveLength(1);
    expect(same.filter((r) => r.status === 409 && r.body.error?.code === 'token_used')).toHaveLength(9);
  });
});
