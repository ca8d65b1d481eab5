import { eq } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { subjects } from '../../server/db/tables';
import { assessmentInput } from '../../server/services/grading/inputs';
import { OPTION_SCORES } from '../../shared/forms';
import { ApiClient, setUpSitting, byId } from '../helpers/api-client';
import { serverWithAdmin } from '../helpers/admin-server';

/**
 * SECURITY.md, "no differencing through scores", tried from outside: an insider reads every
 * number a closed sitting publishes (results, CSV, XLSX, grading) and solves the weighted score
 * and the plain mean of the counts for the lone 上级 voter. With the hidden groups pooled the
 * two equations only give back the pool's mean, never that voter's rating.
 */

const env = serverWithAdmin();

/** 上级 and 同级 fall below k and are pooled; 下级 is shown. */
const GROUPS = [
  { name: '上级', weight: 30 },
  { name: '同级', weight: 70 },
  { name: '下级', weight: 50 },
];

/** How one ballot rates the two cadres: `high` rates the first one top and the second bottom, `low` the reverse; `mid` rates both in the middle. */
type Rating = 'high' | 'low' | 'mid';
const GRADES: Record<Rating, { cadre: string; political: string; negative: string }> = {
  high: { cadre: 'excellent', political: 'good', negative: 'no' },
  low: { cadre: 'incompetent', political: 'poor', negative: 'yes' },
  mid: { cadre: 'competent', political: 'fairly_good', negative: 'no' },
};
const opposite = (r: Rating): Rating => (r === 'high' ? 'low' : r === 'low' ? 'high' : 'mid');

interface Cast {
  group: string;
  /** The rating of the first cadre; the second gets the opposite. */
  first: Rating;
}

/** The lone 上级 voter rates the first cadre 不称职 and the second 优秀; every 同级 voter the reverse. */
const LONE_LOW: Cast[] = [{ group: '上级', first: 'low' }, ...Array.from({ length: 6 }, () => ({ group: '同级', first: 'high' as Rating })), ...Array.from({ length: 8 }, () => ({ group: '下级', first: 'mid' as Rating }))];
/** The same ballots, with the group label swapped between the 上级 ballot and one 同级 ballot. */
const SWAPPED: Cast[] = LONE_LOW.map((c, i) => (i === 0 ? { group: '上级', first: 'high' } : i === 1 ? { group: '同级', first: 'low' } : c));

interface Sitting {
  assessmentId: number;
  sittingId: number;
  /** The subject ids of the two cadres, in ballot order. */
  cadres: number[];
}

/** A sitting with a cadre form (德能勤绩廉) and a political form, these ballots cast, closed and graded. */
async function runSitting(casts: Cast[]): Promise<Sitting> {
  const { assessmentId, sittingId } = await setUpSitting(env.admin, { cadres: 2, forms: [{ kind: 'cadre', dimensions: true }, 'political'], voterGroups: GROUPS });
  const { admin } = env;
  const sitting = admin.api.admin.sittings[':id'];
  const tokens = new Map<string, string[]>();
  for (const g of GROUPS) {
    const count = casts.filter((c) => c.group === g.name).length;
    if (count > 0) tokens.set(g.name, (await admin.call(sitting.tokens.$post({ ...byId(sittingId), json: { voterGroup: g.name, count } }))).body.tokens);
  }
  expect((await admin.call(sitting.open.$post(byId(sittingId)))).status).toBe(200);
  const voter = new ApiClient(env.server.url, null);
  let cadres: number[] = [];
  for (const cast of casts) {
    const token = tokens.get(cast.group)!.shift()!;
    const ballot = (await voter.call(voter.api.voter.ballot.$post({ json: { token } }))).body;
    cadres = ballot.forms.find((f) => f.kind === 'cadre')!.subjects.map((s) => s.id);
    const answers = Object.fromEntries(
      ballot.forms.map((form) => [
        form.id,
        Object.fromEntries(
          form.subjects.map((s, i) => {
            const grades = GRADES[i === 0 ? cast.first : opposite(cast.first)];
            const value = (role: string) => (form.kind === 'cadre' ? grades.cadre : role === 'negative' ? grades.negative : grades.political);
            return [String(s.id), Object.fromEntries(form.questions.map((q) => [q.id, value(q.role)]))];
          }),
        ),
      ]),
    );
    expect((await voter.call(voter.api.voter.submit.$post({ json: { token, submissionId: randomUUID(), answers } }))).status).toBe(201);
  }
  expect((await admin.call(sitting.close.$post(byId(sittingId)))).status).toBe(200);
  // Give the cadres a category and type so the assessment can be graded.
  await env.server.db.update(subjects).set({ category: '省直部门', type: '经济工作部门' }).where(eq(subjects.assessmentId, assessmentId));
  expect((await admin.call(admin.api.admin.assessments[':id'].grading.$post({ ...byId(assessmentId), json: {} }))).status).toBe(201);
  return { assessmentId, sittingId, cadres };
}

/** Everything the attacker downloads. */
interface Published {
  results: any;
  csv: string;
  sheets: Record<string, unknown[][]>;
  grading: any;
  input: any;
}

async function download(path: string): Promise<ArrayBuffer> {
  const res = await fetch(env.server.url + path, { method: 'POST', headers: { Cookie: env.admin.cookie!, Origin: env.server.url } });
  expect(res.status).toBe(200);
  return res.arrayBuffer();
}

async function readPublished(s: Sitting): Promise<Published> {
  const { admin } = env;
  const results = await admin.call(admin.api.admin.sittings[':id'].results.$get(byId(s.sittingId)));
  expect(results.status).toBe(200);
  const csv = new TextDecoder().decode(await download(`/api/admin/sittings/${s.sittingId}/results.csv`));
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(await download(`/api/admin/sittings/${s.sittingId}/results.xlsx`));
  const sheets: Record<string, unknown[][]> = {};
  for (const sheet of book.worksheets) {
    const rows: unknown[][] = [];
    sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
    sheets[sheet.name] = rows;
  }
  const grading = (await admin.call(admin.api.admin.assessments[':id'].grading.$get(byId(s.assessmentId)))).body;
  // What grading reads: the engine input built from the stored results (setUpSitting's year).
  const input = (await assessmentInput(env.server.db, { id: s.assessmentId, year: 2026 })).input;
  return { results: results.body, csv, sheets, grading, input };
}

/**
 * The insider's two equations for one question (or the average of the political items):
 *   score     = Σ w_g · mean_g / Σ w_g   over every group with ballots
 *   plainMean = Σ n_g · mean_g / Σ n_g   from the published counts
 * with the shown group's mean known from its breakdown. Two unknowns, 上级 and 同级: solved for 上级.
 */
function solveForLoneVoter(results: any, score: number, plainMean: number, shownMean: number): number {
  const group = (name: string) => results.groups.find((g: any) => g.name === name) as { weight: number; ballots: number };
  const [a, b, c] = [group('上级'), group('同级'), group('下级')];
  const e1 = score * (a.weight + b.weight + c.weight) - c.weight * shownMean;
  const e2 = plainMean * (a.ballots + b.ballots + c.ballots) - c.ballots * shownMean;
  return (e1 * b.ballots - b.weight * e2) / (a.weight * b.ballots - b.weight * a.ballots);
}

function plainMean(question: { counts: Record<string, number>; valid: number }): number {
  return Object.entries(question.counts).reduce((sum, [v, n]) => sum + n * (OPTION_SCORES[v] ?? 0), 0) / question.valid;
}

const subjectOf = (results: any, kind: string, id: number) => results.forms.find((f: any) => f.kind === kind).subjects.find((s: any) => s.id === id);
const shownMeanOf = (subject: any) => subject.byGroup.find((g: any) => g.group === '下级').mean as number;

/** The attacker's guess at the lone voter's democratic, dimension and political ratings of one cadre, from every source. */
function attack(p: Published, cadre: number, key: string) {
  const cadreSubject = subjectOf(p.results, 'cadre', cadre);
  const politicalSubject = subjectOf(p.results, 'political', cadre);
  const overall = cadreSubject.questions.find((q: any) => q.id === 'overall');
  const solve = (score: number, question: any, shown = shownMeanOf(cadreSubject)) => solveForLoneVoter(p.results, score, plainMean(question), shown);

  const democratic = { json: solve(cadreSubject.scores.democraticScore, overall) } as Record<string, number>;
  // The XLSX Scores sheet: one row per form and subject, the score in the 测评得分 column.
  const scores = p.sheets['得分 Scores']!;
  const column = (header: string) => scores[0]!.findIndex((h) => String(h).startsWith(header));
  const row = (form: string) => scores.find((r) => String(r[0]).endsWith(`(${form})`) && r[1] === key)!;
  democratic.xlsx = solve(Number(row('cadre')[column('测评得分')]), overall);
  // The grading run and the grading input built from the stored results.
  democratic.grading = solve(p.grading.result.subjects.find((x: any) => x.key === key).scores.components.democratic, overall);
  democratic.input = solve(p.input.subjects.find((x: any) => x.key === key).components.democratic.score, overall);

  const dimensions = Object.fromEntries(Object.entries(cadreSubject.scores.dimensionScores as Record<string, number>).map(([q, score]) => [q, solve(score, cadreSubject.questions.find((x: any) => x.id === q))]));

  // Political: add the deductions back (from the 是 counts), then solve over the positive items' average.
  const questions = politicalSubject.questions as { id: string; counts: Record<string, number>; valid: number }[];
  const negatives = questions.filter((q) => q.id.startsWith('n_'));
  const positives = questions.filter((q) => !q.id.startsWith('n_'));
  const deduction = negatives.reduce((d, q) => d + 20 * ((q.counts.yes ?? 0) / q.valid), 0);
  const positiveMean = positives.reduce((m, q) => m + plainMean(q), 0) / positives.length;
  const solvePolitical = (score: number) => solveForLoneVoter(p.results, score + deduction, positiveMean, shownMeanOf(politicalSubject));
  const political = {
    json: solvePolitical(politicalSubject.scores.politicalScore),
    xlsx: solvePolitical(Number(row('political')[column('政治素质得分')])),
    input: solvePolitical(p.input.subjects.find((x: any) => x.key === key).components.politicalQuality),
  };
  return { democratic, dimensions, political };
}

/** Database ids, times and the audit head differ between sittings by construction; nothing else may. */
function normalise(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(/#\d+:[0-9a-f]{16,}/g, '<audit head>');
  if (Array.isArray(value)) return value.map(normalise);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([k, v]) => !(typeof v === 'number' && /^(id|sittingId|assessmentId|runId|createdAt)$/.test(k)))
        .map(([k, v]) => [k, normalise(v)]),
    );
  }
  return value;
}

describe('no differencing through scores (k = 5; 上级 30 × 1 ballot, 同级 70 × 6, 下级 50 × 8)', () => {
  let lowFirst: Sitting;
  let swapped: Sitting;
  beforeAll(async () => {
    lowFirst = await runSitting(LONE_LOW);
    swapped = await runSitting(SWAPPED);
  });

  it('solving the weighted score and the counts for the lone 上级 voter gives the pool’s mean, not the voter’s rating, in every published number', async () => {
    const p = await readPublished(lowFirst);
    // What the attacker starts from: 上级 and 同级 hidden (and scored as one pool), 下级 shown.
    expect(p.results.groups.map((g: any) => [g.name, g.ballots, g.shown, g.pooled])).toEqual([
      ['上级', 1, false, true],
      ['同级', 6, false, true],
      ['下级', 8, true, false],
    ]);
    for (const form of p.results.forms) for (const subject of form.subjects) expect(subject.byGroup.map((g: any) => g.group)).toEqual(['下级']);
    const [first, second] = lowFirst.cadres as [number, number];
    // The lone voter rated the first cadre 不称职 (0) / 差 (40), the second 优秀 (100) / 好 (100); the 同级 voters the reverse.
    for (const [cadre, key, actual, politicalActual, pooled, politicalPooled] of [
      [first, 'C1', 0, 40, 600 / 7, 640 / 7],
      [second, 'C2', 100, 100, 100 / 7, 340 / 7],
    ] as const) {
      const guess = attack(p, cadre, key);
      for (const [source, value] of Object.entries(guess.democratic)) {
        expect(Math.abs(value - actual), `democratic score via ${source}`).toBeGreaterThan(10);
        expect(value, `democratic score via ${source}`).toBeCloseTo(pooled, 0);
      }
      expect(Object.keys(guess.dimensions).sort()).toEqual(['de', 'ji', 'lian', 'neng', 'qin']);
      for (const [q, value] of Object.entries(guess.dimensions)) {
        expect(Math.abs(value - actual), `dimension ${q}`).toBeGreaterThan(10);
        expect(value, `dimension ${q}`).toBeCloseTo(pooled, 0);
      }
      for (const [source, value] of Object.entries(guess.political)) {
        expect(Math.abs(value - politicalActual), `political score via ${source}`).toBeGreaterThan(10);
        expect(value, `political score via ${source}`).toBeCloseTo(politicalPooled, 0);
      }
    }
  });

  it('two sittings that differ only by swapping the group label of the 上级 ballot and one 同级 ballot publish identical numbers everywhere', async () => {
    const [a, b] = [await readPublished(lowFirst), await readPublished(swapped)];
    expect(normalise(b.results)).toEqual(normalise(a.results));
    expect(normalise(b.csv)).toEqual(normalise(a.csv));
    expect(Object.keys(b.sheets)).toEqual(Object.keys(a.sheets));
    expect(normalise(b.sheets)).toEqual(normalise(a.sheets));
    expect(normalise(b.grading.result.subjects)).toEqual(normalise(a.grading.result.subjects));
    expect(normalise(b.input.subjects)).toEqual(normalise(a.input.subjects));
    // Not vacuous: the scores are there to compare.
    expect(a.results.forms.find((f: any) => f.kind === 'cadre').subjects[0].scores.democraticScore).toBeTypeOf('number');
    expect(a.input.subjects.find((x: any) => x.key === 'C1').components.democratic.score).toBeTypeOf('number');
  });
});

describe('a sitting with fewer than k ballots in all', () => {
  it('publishes no per-subject numbers, only why, in the results, the CSV, the XLSX and grading', async () => {
    const s = await runSitting([{ group: '上级', first: 'low' }, { group: '同级', first: 'high' }, { group: '下级', first: 'mid' }]);
    const p = await readPublished(s);
    expect(p.results.forms).toEqual([]);
    expect(p.results.withheld).toEqual({ reason: 'too_few_ballots', ballots: 3, k: 5 });
    expect(p.results.groups.every((g: any) => g.shown === false)).toBe(true);
    expect(JSON.stringify(p.results)).not.toMatch(/干部|byGroup|Score/);

    const rows = p.csv.split('\r\n');
    expect(rows.some((r) => /干部|C1|C2/.test(r))).toBe(false);
    expect(p.csv).toContain('少于 5 票，不公布逐项结果');
    expect(p.csv).toContain('fewer than 5: no per-subject numbers');
    expect(p.csv).toContain('有效票 ballots,3');

    const cells = Object.values(p.sheets).flat(2).map(String);
    expect(cells.some((c) => /干部|^C[12]$/.test(c))).toBe(false);
    expect(Object.keys(p.sheets)).toEqual(['核对 Summary']);

    for (const key of ['C1', 'C2']) {
      const subject = p.input.subjects.find((x: any) => x.key === key);
      expect(subject.components.democratic).toBeUndefined();
      expect(subject.components.politicalQuality).toBeUndefined();
      expect(p.grading.result.subjects.find((x: any) => x.key === key).scores.components.democratic).toBeUndefined();
    }
  });
});
