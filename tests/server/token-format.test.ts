import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiErrorBody } from '../../shared/errors';
import { ApiClient, setUpSitting } from '../helpers/api-client';
import { startServer, type TestServer } from '../helpers/server';

/** Tokens as people type them (issue 8, acceptance 8): any case, spaces and hyphens ignored. */
let server: TestServer;
let voter: ApiClient;
let token: string;

beforeAll(async () => {
  server = await startServer();
  const admin = await new ApiClient(server.url).login();
  const { sittingId } = await setUpSitting(admin, { cadres: 2 });
  const param = { id: String(sittingId) };
  token = (await admin.call(admin.api.admin.sittings[':id'].tokens.$post({ param, json: { voterGroup: '委员', count: 5 } }))).body.tokens[0]!;
  await admin.call(admin.api.admin.sittings[':id'].open.$post({ param }));
  voter = new ApiClient(server.url, null);
});
afterAll(() => server.close());

const ballotOf = (token: string) => voter.call(voter.api.voter.ballot.$post({ json: { token } }));

describe('a slip token typed by hand', () => {
  it('opens the same ballot in capitals, with spaces or with hyphens', async () => {
    const grouped = token.toUpperCase().match(/.{1,4}/g)!;
    for (const typed of [token.toUpperCase(), grouped.join(' '), grouped.join('-'), ` ${grouped.join(' - ')} `]) {
      const ballot = await ballotOf(typed);
      expect(ballot.status, typed).toBe(200);
    }
  });

  it('answers 404 unknown_token for anything well-formed that is not ours, whatever its case', async () => {
    for (const typed of ['A'.repeat(26), 'ABCD-EFGH-IJKL-MNOP-QRST-UVWX-YZ', 'abcdefghijklmnopqrstuvwxyz'.toUpperCase()]) {
      const ballot = await ballotOf(typed);
      expect(ballot.status, typed).toBe(404);
      expect((ballot.body as unknown as ApiErrorBody).error.code).toBe('unknown_token');
    }
  });

  it('still refuses what cannot be a token with 400', async () => {
    for (const typed of ['0'.repeat(26), 'a'.repeat(25), 'a'.repeat(27), '']) {
      const ballot = await ballotOf(typed);
      expect(ballot.status, typed).toBe(400);
    }
  });
});
