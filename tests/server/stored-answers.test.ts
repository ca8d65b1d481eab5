import { and, count, eq, like } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { ballots, sittings as sittingRows } from '../../server/db/tables';
import { buildForm, type Answers } from '../../shared/forms';
import { canonicalAnswers } from '../../server/services/ballot-box/ballot-rules';
import { decodeAnswers, encodeAnswers } from '../../server/services/ballot-box/stored-answers';
import { serverWithAdmin } from '../helpers/admin-server';
import { byId, castBallot, setUpSitting } from '../helpers/api-client';

const subjects = [1, 2, 3].map((id) => ({ id, name: `干部${id}`, title: '职务' }));
const forms = [buildForm({ kind: 'cadre', dimensions: true }, subjects), buildForm({ kind: 'political' }, subjects)];

describe('a stored ballot', () => {
  it('is one byte per answer cell, and reads back as the answers given, blanks left out', () => {
    const cadre = forms[0]!;
    const political = forms[1]!;
    // Given in an order of the voter's own, with blanks: subject 2 unanswered on the cadre form.
    const answers: Answers = {
      political: { '3': { [political.questions[1]!.id]: political.questions[1]!.options[2]!.value }, '1': { [political.questions[0]!.id]: political.questions[0]!.options[0]!.value } },
      cadre: { '3': { overall: 'incompetent' }, '1': Object.fromEntries(cadre.questions.map((q) => [q.id, q.options[1]!.value])) },
    };
    const stored = encodeAnswers(forms, answers);
    expect(stored).toHaveLength(3 * cadre.questions.length + 3 * political.questions.length);
    expect(decodeAnswers(forms, stored)).toEqual(canonicalAnswers(forms, answers));
    // The same choices in another order are the same bytes.
    expect(encodeAnswers(forms, { cadre: answers.cadre!, political: answers.political! })).toBe(stored);
  });

  it('refuses to read a ballot that does not fit its forms, rather than count it wrong', () => {
    const stored = encodeAnswers(forms, {});
    expect(() => decodeAnswers(forms, stored.slice(1))).toThrow();
    expect(() => decodeAnswers(forms, `${stored}0`)).toThrow();
    expect(() => decodeAnswers(forms, `9${stored.slice(1)}`)).toThrow();
  });
});

const env = serverWithAdmin();

describe('ballots stored as JSON by an earlier release', () => {
  it('are counted at close exactly as ballots stored now', async () => {
    const { server, admin } = env;
    const sittings = [];
    for (let n = 0; n < 2; n++) {
      const { sittingId } = await setUpSitting(admin, { cadres: 4, forms: [{ kind: 'cadre', dimensions: true }, 'political'] });
      const tokens = (await admin.call(admin.api.admin.sittings[':id'].tokens.$post({ ...byId(sittingId), json: { voterGroup: '委员', count: 8 } }))).body.tokens;
      await admin.call(admin.api.admin.sittings[':id'].open.$post(byId(sittingId)));
      for (const [i, token] of tokens.entries()) expect(await castBallot(server.url, token, (q) => q.options[(i + q.id.length) % q.options.length]!.value)).toBe(201);
      sittings.push(sittingId);
    }
    const [now, earlier] = sittings as [number, number];
    // What an earlier release wrote: the canonical answers as JSON text.
    const { db } = server;
    const [earlierSitting] = await db.select({ forms: sittingRows.forms }).from(sittingRows).where(eq(sittingRows.id, earlier));
    const earlierForms = JSON.parse(earlierSitting!.forms);
    const rows = await db.select({ id: ballots.id, answers: ballots.answers }).from(ballots).where(eq(ballots.sittingId, earlier));
    for (const row of rows) await db.update(ballots).set({ answers: JSON.stringify(decodeAnswers(earlierForms, row.answers)) }).where(and(eq(ballots.sittingId, earlier), eq(ballots.id, row.id)));
    expect(await db.select({ n: count() }).from(ballots).where(and(eq(ballots.sittingId, earlier), like(ballots.answers, '{%')))).toEqual([{ n: 8 }]);

    const closeAndRead = async (id: number) => {
      expect((await admin.call(admin.api.admin.sittings[':id'].close.$post(byId(id)))).status).toBe(200);
      return (await admin.call(admin.api.admin.sittings[':id'].results.$get(byId(id)))).body;
    };
    const results = [await closeAndRead(now), await closeAndRead(earlier)];
    expect(results[1]!.ballots).toBe(8);
    // The two assessments' subjects have their own ids: compare by name.
    const counted = (r: (typeof results)[number]) => r.forms.map((f) => f.subjects.map((s) => ({ name: s.name, questions: s.questions, scores: s.scores })));
    expect(counted(results[1]!)).toEqual(counted(results[0]!));
    expect(counted(results[0]!)[0]![0]!.questions[0]!.valid).toBe(8);
  });
});
