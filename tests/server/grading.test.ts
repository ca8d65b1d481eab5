import { and, eq } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, subjects as subjectRows } from '../../server/db/tables';
import { ApiClient, setUpSitting, byId, errorOf } from '../helpers/api-client';
import { startServer, type TestServer } from '../helpers/server';

let server: TestServer;
let admin: ApiClient;
let currentId: number;
let previousId: number;

beforeAll(async () => {
  server = await startServer();
  admin = await new ApiClient(server.url).login();
  const started = performance.now();
  const loaded = await admin.call(admin.api.admin['demo-province'].$post());
  expect(loaded.status).toBe(201);
  ({ currentId, previousId } = loaded.body);
  console.log(`demo province loaded and graded (two years) in ${Math.round(performance.now() - started)} ms`);
});
afterAll(() => server.close());

const counts = (report: any, id: string) => report.groups.find((g: any) => g.group.id === id);
/** The typed routes of one assessment, and the param naming it. */
const assessment = () => admin.api.admin.assessments[':id'];

describe('grading an assessment through the API', () => {
  it('loads the demo province in one step and reports the seed’s counts and year-on-year change', async () => {
    const report = (await admin.call(assessment().report.$get(byId(currentId)))).body;
    expect(counts(report, 'provincial_teams')).toMatchObject({ total: 220, counts: { excellent: 57, good: 159, average: 4, poor: 0 } });
    expect(counts(report, 'provincial_cadres')).toMatchObject({ total: 1847, counts: { excellent: 416, competent: 1388, basically_competent: 3, incompetent: 2, undetermined: 38 } });
    expect(counts(report, 'poverty_county_teams')).toMatchObject({ total: 75, counts: { excellent: 25, good: 50 } });
    expect(counts(report, 'county_principals')).toMatchObject({ total: 172, counts: { excellent: 46, competent: 115, basically_competent: 2, undetermined: 9 } });
    expect(counts(report, 'provincial_teams').change).toMatchObject({ excellentCount: 11, excellentSharePoints: 4.61 });
    expect(counts(report, 'provincial_cadres').change.excellentCount).toBe(157);
    expect(counts(report, 'provincial_cadres').change.excellentSharePoints).toBeCloseTo(7.7, 1);
  });

  it('refuses an override without a reason, and records one with a reason beside the proposal', async () => {
    const run = (await admin.call(assessment().grading.$get(byId(currentId)))).body;
    const subject = run.result.subjects.find((s) => s.kind === 'cadre' && s.proposedGrade === 'competent')!;
    const refused = await admin.call(assessment().grading.overrides.$post({ ...byId(currentId), json: { subjectKey: subject.key, grade: 'excellent', reason: '   ' } }));
    expect(refused.status).toBe(422);
    expect(errorOf(refused).code).toBe('override_reason_required');

    const reason = '省委常委会研究决定：抗疫表现突出';
    const ok = await admin.call(assessment().grading.overrides.$post({ ...byId(currentId), json: { subjectKey: subject.key, grade: 'excellent', reason } }));
    expect(ok.status).toBe(200);
    expect(ok.body.subject).toMatchObject({ proposedGrade: 'competent', finalGrade: 'excellent', override: { grade: 'excellent', reason } });

    const row = (await admin.call(assessment().report.$get(byId(currentId)))).body.rows.find((r) => r.key === subject.key);
    expect(row).toMatchObject({ proposedGrade: 'competent', finalGrade: 'excellent', overridden: true, overrideReason: reason });

    const audit = await server.db.select({ actor: auditLog.actor, detail: auditLog.detail }).from(auditLog).where(eq(auditLog.action, 'grading.override'));
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actor).toBe('admin');
    expect(JSON.parse(audit[0]!.detail)).toMatchObject({ subjectKey: subject.key, proposed: 'competent', to: 'excellent', reason });

    // Grading again keeps the committee's decision, with the engine's proposal beside it.
    const again = await admin.call(assessment().grading.$post({ ...byId(currentId), json: { policy: run.policy } }));
    expect(again.status).toBe(201);
    expect(again.body.carriedOverrides).toEqual([subject.key]);
    expect(again.body.result.subjects.find((s) => s.key === subject.key)).toMatchObject({ proposedGrade: 'competent', finalGrade: 'excellent', override: { reason } });
  });

  it('exports the report as XLSX whose counts equal the API’s', async () => {
    const res = await fetch(`${server.url}/api/admin/assessments/${currentId}/report.xlsx`, { headers: { Cookie: admin.cookie! } });
    expect(res.status).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await res.arrayBuffer());
    const sheet = book.worksheets[0]!;
    const fromFile = new Map<string, number>();
    sheet.eachRow((row, n) => {
      if (n > 1) fromFile.set(`${row.getCell(1).value}|${row.getCell(3).value}`, Number(row.getCell(4).value));
    });
    const report = (await admin.call(assessment().report.$get(byId(currentId)))).body;
    expect(fromFile.get('省管领导班子|优秀')).toBe(counts(report, 'provincial_teams').counts.excellent);
    expect(fromFile.get('省管领导干部|优秀')).toBe(counts(report, 'provincial_cadres').counts.excellent);
    expect(fromFile.get('省管领导干部|不定等次')).toBe(38);
    const csv = await fetch(`${server.url}/api/admin/assessments/${currentId}/report.csv`, { headers: { Cookie: admin.cookie! } });
    const bytes = new Uint8Array(await csv.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    // Both files end with the audit head of the moment they were made (a report export appends no entry).
    const newest = (await admin.call(admin.api.admin.audit.$get({ query: { limit: '1' } }))).body.entries[0]!;
    const head = `#${newest.seq}:${newest.hash}`;
    expect(new TextDecoder().decode(bytes).trimEnd().split('\r\n').at(-1)).toBe(`审计链头 audit head,${head}`);
    expect(sheet.getRow(sheet.rowCount).getCell(2).value).toBe(head);
  });

  it('publishes the previous year’s aggregates only, and freezes a published assessment', async () => {
    const anyone = new ApiClient(server.url, null);
    const published = await anyone.call(anyone.api.public.assessments[':id'].results.$get(byId(previousId)));
    expect(published.status).toBe(200);
    expect(published.body.groups.map((g) => g.id)).toEqual(['provincial_teams', 'provincial_cadres', 'poverty_county_teams', 'county_principals']);
    expect(JSON.stringify(published.body)).not.toMatch(/"rows"|"key"/);
    expect(published.body.auditHead).toMatch(/^#\d+:[0-9a-f]{64}$/);
    const stranger = new ApiClient(server.url, null);
    expect((await stranger.call(stranger.api.public.assessments[':id'].results.$get(byId(currentId)))).status).toBe(404);

    const frozen = await admin.call(assessment().grading.$post({ ...byId(previousId), json: {} }));
    expect(frozen.status).toBe(409);
    expect(errorOf(frozen).code).toBe('assessment_published');
    const run = (await admin.call(assessment().grading.$get(byId(previousId)))).body;
    const late = await admin.call(assessment().grading.overrides.$post({ ...byId(previousId), json: { subjectKey: run.result.subjects[0]!.key, grade: 'good', reason: 'too late' } }));
    expect(late.status).toBe(409);
  });
});

describe('ballots feed grading', () => {
  it('uses the sitting’s test scores: a political quality under 90 bars 优秀 however high the rest', async () => {
    const { assessmentId, sittingId } = await setUpSitting(admin, { cadres: 5, forms: ['cadre', 'political'], voterGroups: [{ name: '委员', weight: 1 }] });
    const subjects = (await admin.call(assessment().subjects.$get(byId(assessmentId)))).body.subjects;
    // A department team of the 经济工作部门 type; its cadres are its deputies.
    await admin.call(assessment().subjects.$post({ ...byId(assessmentId), json: [{ key: 'T1', kind: 'team', name: '某部门班子', category: '省直部门', type: '经济工作部门' }] }));
    const patch = subjects.map((s) => ({ key: s.key, routine: [95, 96], performance: 95, superior: 95 }));
    expect((await admin.call(assessment().inputs.$post({ ...byId(assessmentId), json: patch }))).status).toBe(200);
    // Subjects were created without a team: grading refuses until every subject has a category and type.
    const refused = await admin.call(assessment().grading.$post({ ...byId(assessmentId), json: {} }));
    expect(refused.status).toBe(422);
    expect(errorOf(refused).code).toBe('grading_inputs_invalid');

    const sitting = admin.api.admin.sittings[':id'];
    const batch = await admin.call(sitting.tokens.$post({ ...byId(sittingId), json: { voterGroup: '委员', count: 10 } }));
    await admin.call(sitting.open.$post(byId(sittingId)));
    const voter = new ApiClient(server.url, null);
    const forms = (await voter.call(voter.api.voter.ballot.$post({ json: { token: batch.body.tokens[0]! } }))).body.forms;
    const [cadre, political] = [forms.find((f) => f.kind === 'cadre')!, forms.find((f) => f.kind === 'political')!];
    for (const [i, token] of batch.body.tokens.entries()) {
      const answers = {
        cadre: Object.fromEntries(cadre.subjects.map((s) => [String(s.id), { overall: 'excellent' }])),
        // The first cadre: half of the voters answer 是 on a negative item.
        political: Object.fromEntries(political.subjects.map((s) => [String(s.id), { loyalty: i === 0 ? 'fairly_good' : 'good', steadfastness: 'good', responsibility: 'good', n_duplicity: s.id === subjects[0]!.id && i < 5 ? 'yes' : 'no', n_discipline: 'no' }])),
      };
      expect((await voter.call(voter.api.voter.submit.$post({ json: { token, submissionId: randomUUID(), answers } }))).status).toBe(201);
    }
    await admin.call(sitting.close.$post(byId(sittingId)));

    // Put every cadre on the team's platform, then grade.
    await server.db.update(subjectRows).set({ teamKey: 'T1', role: 'deputy' }).where(and(eq(subjectRows.assessmentId, assessmentId), eq(subjectRows.kind, 'cadre')));
    const graded = await admin.call(assessment().grading.$post({ ...byId(assessmentId), json: {} }));
    expect(graded.status).toBe(201);
    const first = graded.body.result.subjects.find((s) => s.key === subjects[0]!.key)!;
    // positive mean: (99.333 + 100 + 100) / 3 ≈ 99.78; half of the voters answered 是: − 0.5 × 20 = 89.78 < 90.
    expect(first.reasons.map((r) => r.code)).toContain('bars.political_quality');
    expect(first.proposedGrade).not.toBe('excellent');
    expect(first.scores.components.democratic).toBe(100);
  });
});

describe('importing component scores and facts', () => {
  it('lists every bad row with its reason, saves nothing until the file is clean', async () => {
    const { assessmentId } = await setUpSitting(admin, { cadres: 3, forms: ['cadre'] });
    const csv = (rows: string[]) => ['编号,第一季度,第二季度,工作实绩,上级评价,部门评价:省财政厅,诫勉,处分,任职月数', ...rows].join('\r\n');
    const bad = csv(['C1,92,94,88,90,85,否,,12', 'C2,九十,94,88,90,85,否,,12', 'C3,92,94,88,90,85,也许,严重警告,3', 'C9,92,94,88,90,85,否,,12']);
    const preview = await admin.request('POST', `/api/admin/assessments/${assessmentId}/inputs/import?preview`, bad, { 'Content-Type': 'text/csv' });
    expect(preview.status).toBe(200);
    expect(preview.body.problems).toEqual([
      { row: 3, column: '第一季度', reason: 'not_a_number', value: '九十' },
      { row: 4, column: '诫勉', reason: 'bad_choice', value: '也许' },
      { row: 5, column: '编号', reason: 'unknown_subject', value: 'C9' },
    ]);
    const refused = await admin.request('POST', `/api/admin/assessments/${assessmentId}/inputs/import`, bad, { 'Content-Type': 'text/csv' });
    expect(refused.status).toBe(422);
    expect((await admin.call(assessment().inputs.$get(byId(assessmentId)))).body.inputs).toEqual([]);

    const good = csv(['C1,92,94,88,90,85,否,,12', 'C2,90,94,88,90,85,否,,12', 'C3,92,94,88,90,85,是,严重警告,3']);
    const saved = await admin.request('POST', `/api/admin/assessments/${assessmentId}/inputs/import`, good, { 'Content-Type': 'text/csv' });
    expect(saved.status).toBe(200);
    expect(saved.body).toEqual({ saved: 3, total: 3 });
    const inputs = (await admin.call(assessment().inputs.$get(byId(assessmentId)))).body.inputs;
    expect(inputs.find((i) => i.key === 'C3')).toEqual({
      key: 'C3',
      routine: [92, 94],
      performance: 88,
      superior: 90,
      departmentEvaluations: [{ evaluatorKey: '省财政厅', score: 85 }],
      facts: { admonished: true, sanctions: ['serious_warning'], monthsInPost: 3 },
    });
  });
});
