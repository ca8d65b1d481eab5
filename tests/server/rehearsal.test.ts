import { count as countRows, eq } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ballots } from '../../server/db/tables';
import { serverWithAdmin } from '../helpers/admin-server';
import { ApiClient, castBallot, setUpSitting, byId, errorOf } from '../helpers/api-client';

/**
 * Rehearsal slips cannot single anyone out (SECURITY.md; issue 8, acceptance 5): practice
 * slips vote only while the sitting rehearses, the ballot says it is practice, opening for real
 * purges the rehearsal's ballots (audited), and every batch below k warns.
 */
const env = serverWithAdmin();
const sitting = () => env.admin.api.admin.sittings[':id'];

async function issue(sittingId: number, count: number, dryRun = false) {
  return env.admin.call(sitting().tokens.$post({ ...byId(sittingId), json: { voterGroup: '委员', count, dryRun } }));
}

describe('a rehearsal before the sitting opens', () => {
  it('lets practice slips vote only during the rehearsal, and says on the ballot that it is practice', async () => {
    const { server, admin } = env;
    const voter = new ApiClient(server.url, null);
    const { sittingId } = await setUpSitting(admin, { cadres: 3 });
    const practice = await issue(sittingId, 6, true);
    expect(practice.status).toBe(201);
    const real = await issue(sittingId, 6);
    const [practiceSlip, laterPractice] = practice.body.tokens;
    const ballotOf = (token: string) => voter.call(voter.api.voter.ballot.$post({ json: { token } }));

    // Draft: nothing votes yet.
    expect(errorOf(await ballotOf(practiceSlip!)).code).toBe('sitting_not_open');
    expect((await admin.call(sitting().rehearse.$post(byId(sittingId)))).status).toBe(200);

    const ballot = await ballotOf(practiceSlip!);
    expect(ballot.status).toBe(200);
    expect(ballot.body.rehearsal).toBe(true);
    expect(await castBallot(server.url, practiceSlip!)).toBe(201);
    // Real slips wait for the opening.
    const early = await ballotOf(real.body.tokens[0]!);
    expect(early.status).toBe(423);
    expect(errorOf(early).code).toBe('sitting_not_open');

    expect((await admin.call(sitting().open.$post(byId(sittingId)))).status).toBe(200);
    const realBallot = await ballotOf(real.body.tokens[0]!);
    expect(realBallot.status).toBe(200);
    expect(realBallot.body.rehearsal).toBe(false);

    // In an open sitting a practice slip is refused with its own code, and changes nothing.
    for (const attempt of [() => ballotOf(laterPractice!), () => voter.call(voter.api.voter.submit.$post({ json: { token: laterPractice!, submissionId: randomUUID(), answers: {} } }))]) {
      const refused = await attempt();
      expect(refused.status).toBe(423);
      expect(errorOf(refused).code).toBe('rehearsal_over');
    }
    const turnout = await admin.call(sitting().turnout.$get(byId(sittingId)));
    expect(turnout.body.dryRun).toEqual({ issued: 6, used: 1 });

    // No more practice slips once open.
    const lateBatch = await issue(sittingId, 5, true);
    expect(lateBatch.status).toBe(409);
    expect(errorOf(lateBatch).code).toBe('rehearsal_only');
  });

  it('purges the rehearsal ballots when the sitting opens for real, and audits the purge', async () => {
    const { server, admin } = env;
    const { sittingId } = await setUpSitting(admin, { cadres: 3 });
    const practice = await issue(sittingId, 5, true);
    const real = await issue(sittingId, 5);
    await admin.call(sitting().rehearse.$post(byId(sittingId)));
    for (const token of practice.body.tokens.slice(0, 3)) expect(await castBallot(server.url, token, (q) => q.options[0]!.value)).toBe(201);
    await admin.call(sitting().open.$post(byId(sittingId)));
    for (const token of real.body.tokens) expect(await castBallot(server.url, token)).toBe(201);
    const closed = await admin.call(sitting().close.$post(byId(sittingId)));
    expect(closed.body.reconciliation).toMatchObject({ ballots: 5, used: 5, dryRun: { issued: 5, used: 3, ballots: 0 } });
    // Only the real ballots are left, counted and on the board.
    expect((await admin.call(admin.api.public.sittings[':id'].receipts.$get(byId(sittingId)))).body.receipts).toHaveLength(5);
    const [stored] = await server.db.select({ n: countRows() }).from(ballots).where(eq(ballots.sittingId, sittingId));
    expect(stored!.n).toBe(5);

    const audit = await admin.call(admin.api.admin.audit.$get({ query: { limit: '100' } }));
    const open = audit.body.entries.find((e) => e.action === 'sitting.open' && e.target === `sitting:${sittingId}`);
    expect(JSON.parse(open!.detail)).toMatchObject({ purgedRehearsalBallots: 3 });
  });

  it('warns for every batch below k, practice batches included', async () => {
    const { admin } = env;
    const { sittingId } = await setUpSitting(admin, { cadres: 2 });
    expect((await issue(sittingId, 1, true)).body.warnings).toContain('batch_below_k');
    expect((await issue(sittingId, 2)).body.warnings).toContain('batch_below_k');
    expect((await issue(sittingId, 10)).body.warnings).toEqual([]);
  });
});
