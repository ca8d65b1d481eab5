import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Answers, BallotDefinition } from '../../shared/forms';
import { ApiClient, castBallot, setUpSitting } from '../helpers/api-client';
import { startServer, type TestServer } from '../helpers/server';

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
  const raw = server.db.$client;
  const pages = raw.pragma('page_count', { simple: true }) as number;
  raw.pragma(`max_page_count = ${full ? pages : 2 ** 30}`);
}

beforeAll(async () => {
  server = await startServer();
  admin = await new ApiClient(server.url).login();
  voter = new ApiClient(server.url, null);
  ({ sittingId } = await setUpSitting(admin, { cadres: 60, forms: ['political'] }));
  slips = (await admin.post(`/api/admin/sittings/${sittingId}/tokens`, { voterGroup: '委员', count: 10 })).body.tokens;
  await admin.post(`/api/admin/sittings/${sittingId}/open`);
  for (const token of slips.slice(0, 5)) expect(await castBallot(server.url, token)).toBe(201);
});

afterAll(() => server.close());

describe('a full disk during a sitting', () => {
  it('answers 503 storage_full with a message that the phone keeps the ballot, and stores nothing', async () => {
    const token = slips[5]!;
    const definition = (await voter.post<BallotDefinition>('/api/voter/ballot', { token })).body;
    const submissionId = randomUUID();
    diskFull(true);
    const refused = await voter.post('/api/voter/submit', { token, submissionId, answers: fullAnswers(definition) });
    expect(refused.status).toBe(503);
    expect(refused.body.error.code).toBe('storage_full');
    expect(refused.body.error.message).toContain('本机');
    const english = await voter.request('POST', '/api/voter/submit', { token, submissionId, answers: fullAnswers(definition) }, { 'Accept-Language': 'en' });
    expect(english.body.error.message).toMatch(/kept on this phone/);

    // The console is told: the health the console polls for its red banner.
    const health = await admin.get('/api/admin/health');
    expect(health.status).toBe(200);
    expect(health.body.storageFull).toBe(true);

    // Nothing of the refused ballot was kept: the slip is still unspent, turnout unchanged.
    expect((await voter.post('/api/voter/ballot', { token })).status).toBe(200);
    expect((await admin.get(`/api/admin/sittings/${sittingId}/turnout`)).body.used).toBe(5);

    // Space returns: the phone's retry (same submission) is accepted, once.
    diskFull(false);
    const retried = await voter.post('/api/voter/submit', { token, submissionId, answers: fullAnswers(definition) });
    expect(retried.status).toBe(201);
    expect((await voter.post('/api/voter/submit', { token, submissionId, answers: fullAnswers(definition) })).status).toBe(200);
    expect((await admin.get('/api/admin/health')).body.storageFull).toBe(false);
  });

  it('loses nothing acknowledged: every ballot with a 201 is counted at close', async () => {
    const closed = await admin.post(`/api/admin/sittings/${sittingId}/close`);
    expect(closed.status).toBe(200);
    expect(closed.body.reconciliation).toMatchObject({ used: 6, ballots: 6, balanced: true });
  });
});
