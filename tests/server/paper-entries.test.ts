import { count } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { paperEntries } from '../../server/db/tables';
import type { Answers } from '../../shared/forms';
import type { Reconciliation } from '../../shared/sitting';
import { ApiClient, byId, errorOf, setUpSitting } from '../helpers/api-client';
import { startServer, type TestServer } from '../helpers/server';

let server: TestServer;
let admin: ApiClient;
let clerkA: ApiClient;
let clerkB: ApiClient;
let outsider: ApiClient;
let sittingId: number;
let tokens: string[];
let answersFor: (token: string, choice: (index: number) => number) => Promise<Answers>;

async function clerk(username: string, assignTo?: number): Promise<ApiClient> {
  const created = await admin.call(admin.api.admin.users.$post({ json: { username, password: 'clerk-password-1', role: 'organiser' } }));
  expect(created.status).toBe(201);
  if (assignTo) expect((await admin.call(admin.api.admin.sittings[':id'].organisers.$post({ ...byId(assignTo), json: { userId: created.body.id } }))).status).toBe(200);
  return new ApiClient(server.url).login(username, 'clerk-password-1');
}

const enter = (who: ApiClient, token: string, answers: Answers) => who.call(who.api.admin.sittings[':id']['paper-entries'].$post({ ...byId(sittingId), json: { token, answers } }));
const resolve = (token: string, answers: Answers) => admin.call(admin.api.admin.sittings[':id']['paper-entries'].resolve.$post({ ...byId(sittingId), json: { token, answers } }));
const pendingEntries = async () => {
  const [row] = await server.db.select({ n: count() }).from(paperEntries);
  return row!.n;
};

beforeAll(async () => {
  server = await startServer();
  admin = await new ApiClient(server.url).login();
  ({ sittingId } = await setUpSitting(admin, { cadres: 4, forms: ['cadre'] }));
  const issued = await admin.call(admin.api.admin.sittings[':id'].tokens.$post({ ...byId(sittingId), json: { voterGroup: '委员', count: 6 } }));
  tokens = issued.body.tokens;
  await admin.call(admin.api.admin.sittings[':id'].open.$post(byId(sittingId)));
  clerkA = await clerk('clerk-a', sittingId);
  clerkB = await clerk('clerk-b', sittingId);
  outsider = await clerk('clerk-elsewhere');
  answersFor = async (token, choice) => {
    const voter = new ApiClient(server.url, null);
    const ballot = (await voter.call(voter.api.voter.ballot.$post({ json: { token } }))).body;
    return Object.fromEntries(ballot.forms.map((f) => [f.id, Object.fromEntries(f.subjects.map((s, i) => [String(s.id), Object.fromEntries(f.questions.map((q) => [q.id, q.options[choice(i) % q.options.length]!.value]))]))]));
  };
});
afterAll(() => server.close());

describe('double entry of paper ballots (双人录入)', () => {
  it('casts a ballot once two different clerks entered the same answers; the same clerk twice is refused', async () => {
    const answers = await answersFor(tokens[0]!, () => 1);
    const first = await enter(clerkA, tokens[0]!, answers);
    expect(first.status).toBe(201);
    expect(first.body).toEqual({ status: 'awaiting_second' });
    const again = await enter(clerkA, tokens[0]!, answers);
    expect(again.status).toBe(409);
    expect(errorOf(again).code).toBe('same_clerk');
    expect(await pendingEntries()).toBe(1);
    const second = await enter(clerkB, tokens[0]!, answers);
    expect(second.status).toBe(201);
    expect(second.body).toEqual({ status: 'cast' });
    // Cast means spent: the slip's token votes no more, on paper or by phone.
    expect(await pendingEntries()).toBe(0);
    const voter = new ApiClient(server.url, null);
    expect((await voter.call(voter.api.voter.ballot.$post({ json: { token: tokens[0]! } }))).status).toBe(409);
    expect(errorOf(await enter(clerkA, tokens[0]!, answers)).code).toBe('token_used');
    const turnout = await admin.call(admin.api.admin.sittings[':id'].turnout.$get(byId(sittingId)));
    expect(turnout.body.used).toBe(1);
  });

  it('holds a disagreement as a conflict naming only the differing cells, until an admin resolves it', async () => {
    const a = await answersFor(tokens[1]!, () => 0);
    const b = structuredClone(a);
    const [formId, subjects] = Object.entries(b)[0]!;
    const subjectId = Object.keys(subjects)[2]!;
    b[formId]![subjectId]!.overall = 'incompetent';
    expect((await enter(clerkA, tokens[1]!, a)).body).toEqual({ status: 'awaiting_second' });
    const conflict = await enter(clerkB, tokens[1]!, b);
    expect(conflict.status).toBe(201);
    // Where they differ, never what either typed.
    expect(conflict.body).toEqual({ status: 'conflict', differences: [{ form: formId, subject: subjectId, question: 'overall' }] });
    expect(JSON.stringify(conflict.body)).not.toMatch(/incompetent|excellent/);
    expect(errorOf(await resolve(tokens[2]!, a)).code).toBe('no_paper_conflict');
    const resolved = await resolve(tokens[1]!, b);
    expect(resolved.status).toBe(200);
    expect(resolved.body).toEqual({ status: 'cast' });
    expect(await pendingEntries()).toBe(0);
    expect(errorOf(await resolve(tokens[1]!, b)).code).toBe('token_used');
    // The audit log says a paper ballot was cast and resolved, not which slip or what it said.
    const audit = await admin.call(admin.api.admin.audit.$get({ query: { limit: '20' } }));
    const paper = audit.body.entries.filter((e) => e.action.startsWith('paper.'));
    expect(paper.map((e) => e.action).sort()).toEqual(['paper.cast', 'paper.conflict', 'paper.resolve']);
    for (const entry of paper) for (const token of tokens) expect(entry.detail + entry.target).not.toContain(token);
  });

  it('refuses what the voter API refuses, with the same codes, and clerks of other sittings', async () => {
    const answers = await answersFor(tokens[3]!, () => 1);
    expect(errorOf(await enter(clerkA, 'a'.repeat(26), answers)).code).toBe('unknown_token');
    const bad = await enter(clerkA, tokens[3]!, { cadre: { '999999': { overall: 'excellent' } } });
    expect(bad.status).toBe(422);
    expect(errorOf(bad).code).toBe('invalid_answers');
    const elsewhere = await enter(outsider, tokens[3]!, answers);
    expect(elsewhere.status).toBe(403);
    expect(await pendingEntries()).toBe(0);
  });

  it('counts paper ballots with the phone ballots at close: one anonymous count', async () => {
    const voter = new ApiClient(server.url, null);
    const phone = await voter.call(voter.api.voter.submit.$post({ json: { token: tokens[4]!, submissionId: crypto.randomUUID(), answers: await answersFor(tokens[4]!, () => 2) } }));
    expect(phone.status).toBe(201);
    const waiting = await answersFor(tokens[5]!, () => 1);
    const pending = await enter(clerkA, tokens[5]!, waiting);
    expect(pending.body).toEqual({ status: 'awaiting_second' });
    // And one whose two entries disagree, left unresolved.
    const disputed = await answersFor(tokens[3]!, () => 0);
    expect((await enter(clerkA, tokens[3]!, disputed)).body).toEqual({ status: 'awaiting_second' });
    expect((await enter(clerkB, tokens[3]!, await answersFor(tokens[3]!, () => 1))).body).toMatchObject({ status: 'conflict' });
    // Turnout counts the paper ballots cast (slips 0 and 1) with the phone's (slip 4), not those pending.
    expect((await admin.call(admin.api.admin.sittings[':id'].turnout.$get(byId(sittingId)))).body.used).toBe(3);
    // A ballot entered once would be lost by closing: the close is refused until the admin confirms.
    const refused = await admin.call(admin.api.admin.sittings[':id'].close.$post(byId(sittingId)));
    expect(refused.status).toBe(409);
    expect(errorOf(refused)).toMatchObject({ code: 'paper_entries_pending', details: { pending: 2, awaitingSecond: 1, conflicts: 1 } });
    expect(await pendingEntries()).toBe(3);
    const closed = await admin.post(`/api/admin/sittings/${sittingId}/close?discardPendingPaper=true`);
    expect(closed.status).toBe(200);
    // The reconciliation: issued = by phone + on paper + unused, the discarded paper ballots' slips among the unused.
    const r = (closed.body as { reconciliation: Reconciliation }).reconciliation;
    expect(r).toMatchObject({ issued: 6, used: 3, ballots: 3, phone: 1, paper: 2, unused: 3, paperPending: { awaitingSecond: 1, conflicts: 1 }, balanced: true });
    expect(r.phone + r.paper + r.unused).toBe(r.issued);
    expect(await pendingEntries()).toBe(0);
    const audit = await admin.call(admin.api.admin.audit.$get({ query: { limit: '5' } }));
    expect(audit.body.entries.map((e) => e.action)).toContain('paper.discard_pending');
    const results = await admin.call(admin.api.admin.sittings[':id'].results.$get(byId(sittingId)));
    expect(results.body.ballots).toBe(3);
    // A closed sitting takes no more paper either: the entry still waiting is never cast.
    const late = await enter(clerkB, tokens[5]!, waiting);
    expect(late.status).toBe(423);
    expect(errorOf(late).code).toBe('sitting_closed');
    expect((await admin.call(admin.api.admin.sittings[':id'].results.$get(byId(sittingId)))).body.ballots).toBe(3);
  });
});
