import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Answers, BallotDefinition } from '../../shared/forms';
import { ApiClient, castBallot, setUpSitting, byId, errorOf } from '../helpers/api-client';
import { onSqlite, startServer, type TestServer } from '../helpers/server';

/**
 * A full disk during a sitting (issue 9, acceptance 6), made with `PRAGMA max_page_count` on the
 * server's own connection: the database cannot grow by a page. A ballot that cannot be stored
 * gets 503 storage_full, nothing acknowledged is lost, and voting resumes when space returns.
 */
let server: TestServer;
let admin: ApiClient;
let voter: ApiClient;
let sittingId: number;
let slips: string[];

function fullAnswers(definition: BallotDefinition): Answers {
  return Object.fromEntries(
    definition.forms.map((form) => [form.id, Object.fromEntries(form.subjects.map((s, i) => [String(s.id), Object.fromEntries(form.questions.map((q, j) => [q.id, q.options[(i + j) % q.options.length]!.value]))]))]),
  );
}


function diskFull(full: boolean): void {
  const raw = server.sqlite;
  const pages = raw.pragma('page_count', { simple: true }) as number;
  raw.pragma(`max_page_count = ${full ? pages : 2 ** 30}`);
}

beforeAll(async () => {
  server = await startServer();
  admin = await new ApiClient(server.url).login();
  voter = new ApiClient(server.url, null);
  // 300 cadres on the political form: 1,500 bytes a ballot, over what a page holds in its cell,
  // so each ballot needs a page of its own (a smaller one could still fit in a page's free space).
  ({ sittingId } = await setUpSitting(admin, { cadres: 300, forms: ['political'] }));
  slips = (await admin.call(admin.api.admin.sittings[':id'].tokens.$post({ ...byId(sittingId), json: { voterGroup: '委员', count: 10 } }))).body.tokens;
  await admin.call(admin.api.admin.sittings[':id'].open.$post(byId(sittingId)));
  for (const token of slips.slice(0, 5)) expect(await castBallot(server.url, token)).toBe(201);
});

afterAll(() => server.close());

// The SQLite file's full disk, made with its max_page_count (the hooks above skip with it).
describe.skipIf(!onSqlite)('a full disk during a sitting', () => {
  it('answers 503 storage_full with a message that the phone keeps the ballot, and stores nothing', async () => {
    const token = slips[5]!;
    const ballotOf = (token: string) => voter.call(voter.api.voter.ballot.$post({ json: { token } }));
    const definition = (await ballotOf(token)).body;
    const submissionId = randomUUID();
    const submit = (headers: Record<string, string> = {}) => voter.call(voter.api.voter.submit.$post({ json: { token, submissionId, answers: fullAnswers(definition) } }, { headers }));
    diskFull(true);
    const refused = await submit();
    expect(refused.status).toBe(503);
    expect(errorOf(refused).code).toBe('storage_full');
    expect(errorOf(refused).message).toContain('本机');
    const english = await submit({ 'Accept-Language': 'en' });
    expect(errorOf(english).message).toMatch(/kept on this phone/);

    // The console is told: the health the console polls for its red banner.
    const health = await admin.call(admin.api.admin.health.$get());
    expect(health.status).toBe(200);
    expect(health.body.storageFull).toBe(true);

    // Nothing of the refused ballot was kept: the slip is still unspent, turnout unchanged.
    expect((await ballotOf(token)).status).toBe(200);
    expect((await admin.call(admin.api.admin.sittings[':id'].turnout.$get(byId(sittingId)))).body.used).toBe(5);

    // Space returns: the phone's retry (same submission) is accepted, once.
    diskFull(false);
    const retried = await submit();
    expect(retried.status).toBe(201);
    expect((await submit()).status).toBe(200);
    expect((await admin.call(admin.api.admin.health.$get())).body.storageFull).toBe(false);
  });

  it('answers an admin act on a full disk with 503 storage_full too, not a 500, and issues nothing', async () => {
    const before = (await admin.call(admin.api.admin.sittings[':id'].turnout.$get(byId(sittingId)))).body.issued;
    diskFull(true);
    try {
      const refused = await admin.call(admin.api.admin.sittings[':id'].tokens.$post({ ...byId(sittingId), json: { voterGroup: '委员', count: 2000 } }));
      expect(refused.status).toBe(503);
      expect(errorOf(refused).code).toBe('storage_full');
    } finally {
      diskFull(false);
    }
    expect((await admin.call(admin.api.admin.sittings[':id'].turnout.$get(byId(sittingId)))).body.issued).toBe(before);
  });

  it('loses nothing acknowledged: every ballot with a 201 is counted at close', async () => {
    const closed = await admin.call(admin.api.admin.sittings[':id'].close.$post(byId(sittingId)));
    expect(closed.status).toBe(200);
    expect(closed.body.reconciliation).toMatchObject({ used: 6, ballots: 6, balanced: true });
  });
});
