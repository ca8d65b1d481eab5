import ExcelJS from 'exceljs';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escapeFormula, toCsv } from '../../server/services/sittings/export';
import { decodeCsv, parseCsv, subjectsFromTable } from '../../server/services/imports/subjects';
import { ApiClient, setUpSitting, type ApiResponse, byId } from '../helpers/api-client';
import { startServer, type TestServer } from '../helpers/server';

const none = { keys: new Set<string>(), teamKeys: new Set<string>() };

describe('reading subject lists', () => {
  it('parses quoted CSV fields with commas, quotes and line breaks, CRLF and a BOM', async () => {
    expect(await parseCsv('\uFEFFa,b,c\r\n"x, y","say ""hi""","two\nlines"\r\n')).toEqual([
      ['a', 'b', 'c'],
      ['x, y', 'say "hi"', 'two\nlines'],
    ]);
    expect(await parseCsv('a\tb\n1\t2')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
  });

  it('reads CSV saved by Excel on Chinese Windows (GB18030)', () => {
    const gbk = new Uint8Array([0xb1, 0xe0, 0xba, 0xc5, 0x2c, 0xd0, 0xd5, 0xc3, 0xfb]); // 编号,姓名
    expect(decodeCsv(gbk)).toBe('编号,姓名');
  });

  it('accepts English headers, and reads 类型 as the type when another column holds the kind', () => {
    const english = subjectsFromTable([['Key', 'Kind', 'Name', 'Title', 'teamKey', 'Role'], ['T1', 'team', 'Team one', '', '', ''], ['C1', 'cadre', 'Zhang', 'Mayor', 'T1', 'principal']], none);
    expect(english.problems).toEqual([]);
    expect(english.subjects[1]).toEqual({ key: 'C1', kind: 'cadre', name: 'Zhang', title: 'Mayor', teamKey: 'T1', role: 'principal' });
    const both = subjectsFromTable([['编号', '对象类型', '名称', '类型'], ['T1', '班子', '兰州市委', '第一类型']], none);
    expect(both.subjects).toEqual([{ key: 'T1', kind: 'team', name: '兰州市委', type: '第一类型' }]);
  });

  it('lists every bad row with its reason', () => {
    const preview = subjectsFromTable(
      [
        ['编号', '类型', '姓名', '所属班子', '正职/副职'],
        ['C1', '干部', '甲', '', '正职'],
        ['C1', '干部', '乙', '', ''],
        ['C2', '领导', '丙', '', ''],
        ['C3', '干部', '', 'T404', '主要'],
        ['OLD', '干部', '丁', '', ''],
      ],
      { keys: new Set(['OLD']), teamKeys: new Set() },
    );
    expect(preview.problems).toEqual([
      { row: 3, field: 'key', reason: 'duplicate_key', value: 'C1', otherRow: 2 },
      { row: 4, field: 'kind', reason: 'bad_kind', value: '领导' },
      { row: 5, field: 'name', reason: 'missing' },
      { row: 5, field: 'role', reason: 'bad_role', value: '主要' },
      { row: 5, field: 'teamKey', reason: 'unknown_team', value: 'T404' },
      { row: 6, field: 'key', reason: 'key_exists', value: 'OLD' },
    ]);
    expect(subjectsFromTable([['姓名'], ['甲']], none).problems.map((p) => p.field)).toEqual(['key', 'kind']);
  });
});

describe('CSV out', () => {
  it('starts with a BOM and defuses cells a spreadsheet would run as formulas', () => {
    expect(['=1+1', '+1', '-2', '@SUM(A1)', '\tx', '\rx', 'ok'].map(escapeFormula)).toEqual(["'=1+1", "'+1", "'-2", "'@SUM(A1)", "'\tx", "'\rx", 'ok']);
    expect(toCsv([['=HYPERLINK("x")', 3, null]])).toBe('\uFEFF"\'=HYPERLINK(""x"")",3,\r\n');
  });
});

describe('console endpoints', () => {
  let server: TestServer;
  let admin: ApiClient;
  beforeAll(async () => {
    server = await startServer();
    admin = await new ApiClient(server.url).login();
  });
  afterAll(() => server.close());
  const sitting = () => admin.api.admin.sittings[':id'];
  const subject = () => admin.api.admin.subjects[':id'];

  async function assessment(): Promise<number> {
    return (await admin.call(admin.api.admin.assessments.$post({ json: { name: '导入测试', year: 2026 } }))).body.id;
  }

  it('imports a multipart XLSX upload, and refuses a legacy .xls with 415', async () => {
    const id = await assessment();
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('1');
    sheet.addRows([['键', '类型', '名称'], ['T1', '班子', '班子一'], ['C1', '干部', '干部一']]);
    const form = new FormData();
    form.append('file', new Blob([await workbook.xlsx.writeBuffer()]), 'list.xlsx');
    const res = await fetch(`${server.url}/api/admin/assessments/${id}/subjects`, { method: 'POST', body: form, headers: { Cookie: admin.cookie!, Origin: server.origin } });
    expect(res.status).toBe(201);
    expect(((await res.json()) as { subjects: unknown[] }).subjects).toHaveLength(2);
    const xls = await fetch(`${server.url}/api/admin/assessments/${id}/subjects/preview`, {
      method: 'POST',
      body: new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]),
      headers: { Cookie: admin.cookie!, Origin: server.origin, 'Content-Type': 'application/octet-stream' },
    });
    expect(xls.status).toBe(415);
    expect(((await xls.json()) as { error: { code: string } }).error.code).toBe('unsupported_file');
    const broken = await admin.request('POST', `/api/admin/assessments/${id}/subjects/preview`, 'PK\u0003\u0004 not a zip', { 'Content-Type': 'application/octet-stream' });
    expect(broken.status).toBe(415);
    const again = await admin.request('POST', `/api/admin/assessments/${id}/subjects`, 'key,kind,name\nT1,team,x\n', { 'Content-Type': 'text/csv' });
    expect(again.status).toBe(422);
    expect(again.body.error.code).toBe('invalid_import');
    expect(again.body.error.details.problems).toEqual([{ row: 2, field: 'key', reason: 'key_exists', value: 'T1' }]);
  });

  it('edits a subject, and refuses to delete one a sitting uses', async () => {
    const admin2 = admin;
    const { assessmentId } = await setUpSitting(admin2, { cadres: 3 });
    const subjects = (await admin.call(admin.api.admin.assessments[':id'].subjects.$get(byId(assessmentId)))).body.subjects as { id: number; key: string }[];
    const edited = await admin.call(subject().$post({ ...byId(subjects[0]!.id), json: { name: '改名后', title: '副省长' } }));
    expect(edited.status).toBe(200);
    expect(edited.body.subject).toMatchObject({ name: '改名后', title: '副省长', key: 'C1' });
    expect((await admin.call(subject().$post({ ...byId(subjects[0]!.id), json: { key: 'C2' } }))).status).toBe(409);
    const del: ApiResponse = await admin.call(subject().delete.$post(byId(subjects[0]!.id)));
    expect(del.status).toBe(409);
    expect(del.body.error.code).toBe('subject_in_use');
    const extra = await admin.call(admin.api.admin.assessments[':id'].subjects.$post({ ...byId(assessmentId), json: [{ key: 'Z1', kind: 'cadre', name: '未用' }] }));
    expect((await admin.call(subject().delete.$post(byId(extra.body.subjects[0]!.id)))).status).toBe(200);
    expect((await admin.call(subject().$post({ ...byId(999999), json: { name: 'x' } }))).status).toBe(404);
  });

  it('walks draft → open → closed → published, and refuses a reopen once published', async () => {
    const { sittingId } = await setUpSitting(admin);
    expect((await admin.call(sitting().publish.$post(byId(sittingId)))).status).toBe(409);
    await admin.call(sitting().open.$post(byId(sittingId)));
    expect((await admin.call(sitting().publish.$post(byId(sittingId)))).status).toBe(409);
    await admin.call(sitting().close.$post(byId(sittingId)));
    const published = await admin.call(sitting().publish.$post(byId(sittingId)));
    expect(published.status).toBe(200);
    expect(published.body.status).toBe('published');
    const reopen: ApiResponse = await admin.call(sitting().open.$post(byId(sittingId)));
    expect(reopen.status).toBe(409);
    expect(reopen.body.error.code).toBe('invalid_state');
    const audit = await admin.call(admin.api.admin.audit.$get({ query: { limit: '5' } }));
    expect(audit.body.entries[0]).toMatchObject({ action: 'sitting.publish', target: `sitting:${sittingId}` });
    expect(audit.body.broken).toBeNull();
  });

  it('counts a rehearsal apart, per minute too, and clears it in one audited step', async () => {
    const { sittingId } = await setUpSitting(admin, { cadres: 2 });
    const real = (await admin.call(sitting().tokens.$post({ ...byId(sittingId), json: { voterGroup: '委员', count: 6 } }))).body.tokens as string[];
    const dry = (await admin.call(sitting().tokens.$post({ ...byId(sittingId), json: { voterGroup: '委员', count: 5, dryRun: true } }))).body.tokens as string[];
    await admin.call(sitting().rehearse.$post(byId(sittingId)));
    const phone = new ApiClient(server.url, null);
    const submit = (token: string) => phone.call(phone.api.voter.submit.$post({ json: { token, submissionId: randomUUID(), answers: {} } }));
    for (const t of dry.slice(0, 3)) expect((await submit(t)).status).toBe(201);

    const minutes = await admin.call(sitting().turnout.minutes.$get(byId(sittingId)));
    expect(minutes.body.minutes).toEqual([]);
    expect(minutes.body.dryRun.reduce((n: number, m: { ballots: number }) => n + m.ballots, 0)).toBe(3);
    const turnout = await admin.call(sitting().turnout.$get(byId(sittingId)));
    expect(turnout.body).toMatchObject({ issued: 6, used: 0, dryRun: { issued: 5, used: 3 } });

    const cleared = await admin.call(sitting()['dry-run'].clear.$post(byId(sittingId)));
    expect(cleared.status).toBe(200);
    expect(cleared.body.cleared).toEqual({ tokens: 5, ballots: 3 });
    expect((await admin.call(sitting().turnout.$get(byId(sittingId)))).body).toMatchObject({ issued: 6, used: 0, dryRun: { issued: 0, used: 0 } });
    expect((await admin.call(sitting().turnout.minutes.$get(byId(sittingId)))).body.dryRun).toEqual([]);
    expect((await admin.call(sitting().overview.$get(byId(sittingId)))).body.batches).toHaveLength(1);
    const unknown = await phone.call(phone.api.voter.ballot.$post({ json: { token: dry[4]! } }));
    expect(unknown.status).toBe(404);
    expect((await admin.call(admin.api.admin.audit.$get({ query: { limit: '1' } }))).body.entries[0]).toMatchObject({ action: 'sitting.clear_dry_run' });

    await admin.call(sitting().open.$post(byId(sittingId)));
    for (const t of real.slice(0, 2)) expect((await submit(t)).status).toBe(201);
    const realMinutes = await admin.call(sitting().turnout.minutes.$get(byId(sittingId)));
    expect(realMinutes.body.minutes.reduce((n: number, m: { ballots: number }) => n + m.ballots, 0)).toBe(2);
    await admin.call(sitting().close.$post(byId(sittingId)));
    const results = await admin.call(sitting().results.$get(byId(sittingId)));
    expect(results.body.reconciliation).toMatchObject({ issued: 6, used: 2, ballots: 2, balanced: true, dryRun: { issued: 0, used: 0, ballots: 0 } });
    expect((await admin.call(sitting()['dry-run'].clear.$post(byId(sittingId)))).status).toBe(409);
  });

  it('answers bad audit queries with 400, never 5xx', async () => {
    for (const query of [{ limit: '0' }, { limit: 'abc' }, { before: '-1' }, { limit: '99999' }]) expect((await admin.call(admin.api.admin.audit.$get({ query }))).status).toBe(400);
  });
});
