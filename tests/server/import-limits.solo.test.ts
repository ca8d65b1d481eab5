import ExcelJS from 'exceljs';
import { PassThrough } from 'node:stream';
import { constants, deflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_MESSAGES } from '../../shared/errors';
import { IMPORT_LIMITS } from '../../server/limits';
import { parseCsv, readTable } from '../../server/services/imports/subjects';
import { inflateEntry, zipEntries } from '../../server/services/imports/zip';
import { ApiClient, setUpSitting } from '../helpers/api-client';
import { startServer, type TestServer } from '../helpers/server';

/**
 * Spreadsheet and CSV imports under IMPORT_LIMITS (server/limits.ts), over HTTP: hostile files
 * are refused with a code naming the limit, quickly, while voters' requests keep being answered
 * fast. Every sheet is built here, with exceljs or byte by byte.
 */

const MB = 1024 * 1024;
/** Between one voter request's answer and the next request. */
const VOTER_PAUSE_MS = 5;

// ---- Sheets -------------------------------------------------------------------------------

async function xlsx(build: (sheet: ExcelJS.Worksheet) => void): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  build(workbook.addWorksheet('名单'));
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

const header = ['编号', '类型', '姓名'];

/** Header, one subject, and a cell at XFD1048576, the last cell a sheet has (its used range then spans the whole sheet). */
function strayCell(mark: (cell: ExcelJS.Cell) => void) {
  return xlsx((sheet) => {
    sheet.addRows([header, ['C1', '干部', '张三']]);
    mark(sheet.getCell('XFD1048576'));
  });
}

/** A header and `rows` subjects, written with exceljs' streaming writer (the in-memory one takes seconds). */
async function manyRows(rows: number): Promise<Uint8Array> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: false });
  const sheet = workbook.addWorksheet('名单');
  sheet.addRow(header).commit();
  for (let i = 1; i <= rows; i++) sheet.addRow([`C${i}`, '干部', `干部${i}`]).commit();
  sheet.commit();
  await workbook.commit();
  return new Uint8Array(Buffer.concat(chunks));
}

/** A ZIP written by hand: each entry's bytes as they are stored, and the sizes its headers claim. */
function zip(entries: { name: string; data: Buffer; method: 0 | 8; size: number }[]): Uint8Array {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(e.method, 8);
    local.writeUInt32LE(e.data.length, 18);
    local.writeUInt32LE(e.size, 22);
    local.writeUInt16LE(name.length, 26);
    const dir = Buffer.alloc(46);
    dir.writeUInt32LE(0x02014b50, 0);
    dir.writeUInt16LE(20, 4);
    dir.writeUInt16LE(20, 6);
    dir.writeUInt16LE(e.method, 10);
    dir.writeUInt32LE(e.data.length, 20);
    dir.writeUInt32LE(e.size, 24);
    dir.writeUInt16LE(name.length, 28);
    dir.writeUInt32LE(offset, 42);
    parts.push(local, name, e.data);
    central.push(dir, name);
    offset += 30 + name.length + e.data.length;
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...parts, directory, end]));
}

const stored = (name: string, xml: string) => ({ name, data: Buffer.from(xml), method: 0 as const, size: Buffer.byteLength(xml) });

/**
 * A zip bomb: a valid XLSX whose sheet XML is a header row followed by `inflatedMb` MB of spaces
 * (whitespace XML allows), about 1 KB per MB once deflated. The deflate stream is one 1 MB
 * piece compressed once and repeated (each piece ends byte-aligned and refers to nothing before
 * it), so building it takes milliseconds. `claim` is whether its headers tell the size the sheet
 * inflates to truly, or lie that it is 1,000 bytes.
 */
function zipBomb(inflatedMb: number, claim: 'true' | 'lie'): Uint8Array {
  const head = Buffer.from('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>编号</t></is></c></row>');
  const tail = Buffer.from('</sheetData></worksheet>');
  const piece = deflateRawSync(Buffer.alloc(MB, 0x20), { finishFlush: constants.Z_SYNC_FLUSH });
  const data = Buffer.concat([deflateRawSync(head, { finishFlush: constants.Z_SYNC_FLUSH }), ...Array<Buffer>(inflatedMb).fill(piece), deflateRawSync(tail)]);
  const size = head.length + inflatedMb * MB + tail.length;
  return zip([
    stored('[Content_Types].xml', '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'),
    stored('_rels/.rels', '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'),
    stored('xl/workbook.xml', '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="名单" sheetId="1" r:id="rId1"/></sheets></workbook>'),
    stored('xl/_rels/workbook.xml.rels', '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'),
    { name: 'xl/worksheets/sheet1.xml', data, method: 8, size: claim === 'true' ? size : 1000 },
  ]);
}

/** The XML of a sheet in an XLSX file, to check the fixture holds what the test says it does. */
function sheetXml(file: Uint8Array): string {
  const entry = zipEntries(file).find((e) => e.name === 'xl/worksheets/sheet1.xml')!;
  return inflateEntry(file, entry, 200 * MB).toString();
}

const csvOf = (rows: string[][]) => rows.map((r) => r.join(',')).join('\r\n');

// ---- Measuring -----------------------------------------------------------------------------

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(sorted.length * p) - 1)]!;
}

describe('import limits', () => {
  let server: TestServer;
  let admin: ApiClient;
  let assessmentId: number;
  let slip: string;
  beforeAll(async () => {
    server = await startServer();
    admin = await new ApiClient(server.url).login();
    const sitting = await setUpSitting(admin, { cadres: 20 });
    assessmentId = (await admin.call(admin.api.admin.assessments.$post({ json: { name: '导入限制', year: 2026 } }))).body.id;
    const param = { id: String(sitting.sittingId) };
    expect((await admin.call(admin.api.admin.sittings[':id'].open.$post({ param }))).status).toBe(200);
    slip = (await admin.call(admin.api.admin.sittings[':id'].tokens.$post({ param, json: { voterGroup: '委员', count: 1 } }))).body.tokens[0]!;
  });
  afterAll(() => server.close());

  async function upload(bytes: Uint8Array, options: { contentType?: string; lang?: 'en'; path?: string } = {}) {
    const res = await fetch(`${server.url}${options.path ?? `/api/admin/assessments/${assessmentId}/subjects/preview`}`, {
      method: 'POST',
      body: bytes as Uint8Array<ArrayBuffer>,
      headers: {
        Cookie: admin.cookie!,
        Origin: server.origin,
        'Content-Type': options.contentType ?? 'application/octet-stream',
        ...(options.lang ? { 'Accept-Language': options.lang } : {}),
      },
    });
    return { status: res.status, body: (await res.json()) as any };
  }

  /**
   * Sends `bytes` while phones keep loading their ballot (the voter page's first request): one
   * request every few milliseconds, some hundred a second, far more than a hall sends, until the
   * upload is answered and at least `minSamples` were timed. The requests are paced, not sent
   * back to back, so that they measure how long the event loop keeps a voter waiting, not how
   * the test's own flood of requests shares the CPU with the reader.
   */
  async function uploadWhileVoting(bytes: Uint8Array, options: { contentType?: string; path?: string } = {}, minSamples = 40) {
    const latencies: number[] = [];
    let uploading = true;
    const voter = (async () => {
      while (uploading || latencies.length < minSamples) {
        const t0 = performance.now();
        const res = await fetch(`${server.url}/api/voter/ballot`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ token: slip }) });
        await res.arrayBuffer();
        latencies.push(performance.now() - t0);
        expect(res.status).toBe(200);
        await new Promise((pause) => setTimeout(pause, VOTER_PAUSE_MS));
      }
    })();
    const t0 = performance.now();
    const res = await upload(bytes, options).finally(() => (uploading = false));
    const ms = performance.now() - t0;
    await voter;
    return { ...res, ms, voterP50: percentile(latencies, 0.5), voterP99: percentile(latencies, 0.99), voterSamples: latencies.length };
  }

  const report = (label: string, r: { status: number; ms: number; voterP50: number; voterP99: number; voterSamples: number }) =>
    console.log(`${label}: ${r.status} in ${r.ms.toFixed(0)} ms; voter p50 ${r.voterP50.toFixed(1)} ms, p99 ${r.voterP99.toFixed(1)} ms over ${r.voterSamples} requests`);

  it('states each limit in its message, in Chinese and in English', () => {
    const plain = (s: string) => s.replace(/[,\s]/g, '');
    for (const lang of ['zh', 'en'] as const) {
      expect(plain(ERROR_MESSAGES.import_too_many_rows[lang])).toContain(String(IMPORT_LIMITS.maxRows));
      expect(plain(ERROR_MESSAGES.import_too_many_columns[lang])).toContain(String(IMPORT_LIMITS.maxColumns));
      expect(ERROR_MESSAGES.import_too_large[lang]).toContain(`${IMPORT_LIMITS.maxBytes / MB} MB`);
      expect(ERROR_MESSAGES.import_too_slow[lang]).toContain(`${IMPORT_LIMITS.timeBudgetMs / 1000} `);
    }
  });

  it('reads a sheet whose used range is the whole sheet from a style on XFD1048576: only cells holding values count', async () => {
    const file = await strayCell((cell) => (cell.style = { font: { bold: true } }));
    expect(file.length).toBeLessThan(10_000);
    expect(sheetXml(file)).toMatch(/<dimension ref="A1:XFD1048576"\/>[\s\S]*<c r="XFD1048576" s="\d+"\/>/);
    const res = await uploadWhileVoting(file);
    report('style at XFD1048576', res);
    expect(res.status).toBe(200);
    expect(res.body.subjects).toEqual([{ key: 'C1', kind: 'cadre', name: '张三' }]);
    expect(res.body.problems).toEqual([]);
    expect(res.voterP99).toBeLessThan(100);
  });

  it('refuses a value at XFD1048576 as too many columns, in both languages, quickly', async () => {
    const file = await strayCell((cell) => (cell.value = '多余'));
    expect(sheetXml(file)).toContain('<c r="XFD1048576"');
    const res = await uploadWhileVoting(file);
    report('value at XFD1048576', res);
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'import_too_many_columns', message: ERROR_MESSAGES.import_too_many_columns.zh, details: { limit: IMPORT_LIMITS.maxColumns, cell: 'XFD1048576' } });
    expect(res.ms).toBeLessThan(5_000);
    expect(res.voterP99).toBeLessThan(100);
    const en = await upload(file, { lang: 'en' });
    expect(en.body.error.message).toBe(ERROR_MESSAGES.import_too_many_columns.en);
  });

  it('takes a value in the last column allowed, and refuses one a column past it', async () => {
    const at = (col: number) => xlsx((sheet) => {
      sheet.addRows([header, ['C1', '干部', '张三']]);
      sheet.getRow(1).getCell(col).value = '备注';
    });
    const ok = await upload(await at(IMPORT_LIMITS.maxColumns));
    expect(ok.status).toBe(200);
    expect(ok.body.subjects).toHaveLength(1);
    const over = await upload(await at(IMPORT_LIMITS.maxColumns + 1));
    expect(over.status).toBe(422);
    expect(over.body.error.code).toBe('import_too_many_columns');
  });

  it('refuses a sheet of 100,000 rows as too many rows, quickly', async () => {
    const file = await manyRows(100_000);
    expect(file.length).toBeLessThan(4 * MB); // under the admin body limit: the import limits must refuse it
    const res = await uploadWhileVoting(file);
    report('100,000 rows', res);
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'import_too_many_rows', message: ERROR_MESSAGES.import_too_many_rows.zh, details: { limit: IMPORT_LIMITS.maxRows, row: IMPORT_LIMITS.maxRows + 1 } });
    expect(res.ms).toBeLessThan(5_000);
    expect(res.voterP99).toBeLessThan(100);
  });

  it('refuses a zip bomb whose directory tells its size, before inflating anything', async () => {
    const file = zipBomb(1024, 'true');
    expect(file.length).toBeLessThan(2 * MB);
    const res = await uploadWhileVoting(file);
    report('zip bomb, 1 GB told', res);
    expect(res.status).toBe(413);
    expect(res.body.error).toMatchObject({ code: 'import_too_large', message: ERROR_MESSAGES.import_too_large.zh, details: { limit: IMPORT_LIMITS.maxBytes } });
    expect(res.ms).toBeLessThan(1_000);
    expect(res.voterP99).toBeLessThan(100);
    // Refused on the claim alone: behind this one is no deflate data at all, which reading would find.
    const claim = zip([{ name: 'xl/worksheets/sheet1.xml', data: Buffer.from('not deflate data'), method: 8, size: IMPORT_LIMITS.maxBytes + 1 }]);
    expect((await upload(claim)).body.error.code).toBe('import_too_large');
  });

  it('refuses a zip bomb whose directory lies about its size, once inflating passes the limit', async () => {
    const file = zipBomb(1024, 'lie');
    const res = await uploadWhileVoting(file);
    report('zip bomb, 1 GB claimed as 1 KB', res);
    expect(res.status).toBe(413);
    expect(res.body.error).toMatchObject({ code: 'import_too_large', message: ERROR_MESSAGES.import_too_large.zh });
    expect(res.ms).toBeLessThan(5_000);
    expect(res.voterP99).toBeLessThan(100);
    // A smaller bomb told truthfully, under the limit, is read through: the whitespace is no content.
    const small = await upload(zipBomb(20, 'true'));
    expect(small.status).toBe(200);
    expect(small.body.problems).toEqual([{ row: 1, field: 'kind', reason: 'missing_column' }, { row: 1, field: 'name', reason: 'missing_column' }]);
  });

  it('answers files sent at once, each in its turn', async () => {
    const ordinary = await xlsx((sheet) => sheet.addRows([header, ['C1', '干部', '张三']]));
    const answers = await Promise.all([zipBomb(1024, 'lie'), await strayCell((cell) => (cell.value = 1)), ordinary, zipBomb(1024, 'true'), ordinary].map((file) => upload(file)));
    expect(answers.map((a) => a.body.error?.code ?? a.status)).toEqual(['import_too_large', 'import_too_many_columns', 200, 'import_too_large', 200]);
  });

  it('refuses the same files on the grading-inputs import', async () => {
    const path = `/api/admin/assessments/${assessmentId}/inputs/import?preview`;
    expect((await upload(zipBomb(1024, 'lie'), { path })).body.error.code).toBe('import_too_large');
    expect((await upload(await strayCell((cell) => (cell.value = 1)), { path })).body.error.code).toBe('import_too_many_columns');
  });

  it('limits CSV rows and columns too, counting only fields holding a value', async () => {
    const rows = (n: number) => [header, ...Array.from({ length: n - 1 }, (_, i) => [`C${i + 1}`, '干部', `干部${i + 1}`])];
    const csv = (text: string) => new TextEncoder().encode(text);
    const full = await upload(csv(csvOf(rows(IMPORT_LIMITS.maxRows)) + '\r\n\r\n,,\r\n'), { contentType: 'text/csv' });
    expect(full.status).toBe(200);
    expect(full.body.total).toBe(IMPORT_LIMITS.maxRows - 1);
    const tooMany = await uploadWhileVoting(csv(csvOf(rows(IMPORT_LIMITS.maxRows + 1))), { contentType: 'text/csv' });
    report(`CSV of ${IMPORT_LIMITS.maxRows + 1} rows`, tooMany);
    expect(tooMany.status).toBe(422);
    expect(tooMany.body.error).toMatchObject({ code: 'import_too_many_rows', details: { limit: IMPORT_LIMITS.maxRows, row: IMPORT_LIMITS.maxRows + 1 } });
    expect(tooMany.voterP99).toBeLessThan(100);

    const wide = (valueAt: number) => csv(`${[...header, ...Array<string>(valueAt - 4).fill(''), '备注'].join(',')}${','.repeat(500)}\r\nC1,干部,张三\r\n`);
    const trailing = await upload(wide(IMPORT_LIMITS.maxColumns), { contentType: 'text/csv' });
    expect(trailing.status).toBe(200);
    expect(trailing.body.subjects).toHaveLength(1);
    const over = await upload(wide(IMPORT_LIMITS.maxColumns + 1), { contentType: 'text/csv', lang: 'en' });
    expect(over.status).toBe(422);
    expect(over.body.error).toMatchObject({ code: 'import_too_many_columns', message: ERROR_MESSAGES.import_too_many_columns.en, details: { limit: IMPORT_LIMITS.maxColumns } });
  });

  it('reads a CSV in slices without splitting a character, and refuses one with a quote left open as unreadable', async () => {
    const long = 'a' + '𠀀'.repeat(10_000); // 40 KB of characters of four UTF-8 bytes (two UTF-16 units): slices fall inside some
    expect(await parseCsv(`编号,类型,姓名\r\nC1,干部,${long}\r\n`)).toEqual([header, ['C1', '干部', long]]);
    const res = await upload(new TextEncoder().encode('编号,类型,姓名\r\nC1,干部,"张三\r\n'), { contentType: 'text/csv' });
    expect(res.status).toBe(415);
    expect(res.body.error.code).toBe('unsupported_file');
  });

  // The byte and time limits are far past what the admin body limit (4 MB) lets through, and a
  // file that takes ten seconds to read is not one a test should wait for: the same readTable
  // the routes use, under tighter limits, shows each is enforced.
  it('enforces the byte limit on a CSV and the time budget on both kinds', async () => {
    const csv = new TextEncoder().encode(csvOf([header, ...Array.from({ length: 2_000 }, (_, i) => [`C${i}`, '干部', '某'.repeat(500)])]));
    expect(csv.length).toBeGreaterThan(2 * MB);
    await expect(readTable(csv, 'text/csv', { ...IMPORT_LIMITS, maxBytes: MB })).rejects.toMatchObject({ status: 413, code: 'import_too_large' });
    await expect(readTable(csv, 'text/csv', { ...IMPORT_LIMITS, timeBudgetMs: 1 })).rejects.toMatchObject({ status: 422, code: 'import_too_slow' });
    expect(await readTable(csv, 'text/csv')).toHaveLength(2_001);

    const sheet = await manyRows(5_000);
    const t0 = performance.now();
    await expect(readTable(sheet, '', { ...IMPORT_LIMITS, timeBudgetMs: 50 })).rejects.toMatchObject({ status: 422, code: 'import_too_slow' });
    expect(performance.now() - t0).toBeLessThan(1_000);
    expect(await readTable(sheet, '')).toHaveLength(5_001);
    await expect(readTable(zipBomb(40, 'lie'), '', { ...IMPORT_LIMITS, maxBytes: 30 * MB })).rejects.toMatchObject({ status: 413, code: 'import_too_large' });
  });

  it('refuses a sheet whose reading fills the worker heap as too large, and goes on', async () => {
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (c: Buffer) => chunks.push(c));
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: false });
    const sheet = workbook.addWorksheet('名单');
    for (let i = 1; i < IMPORT_LIMITS.maxRows; i++) sheet.addRow(Array.from({ length: 20 }, (_, j) => `${i}-${j}-${'x'.repeat(40)}`)).commit();
    sheet.commit();
    await workbook.commit();
    const file = new Uint8Array(Buffer.concat(chunks));
    // Within every other limit (it reads under the default heap in some 3 s): only the heap refuses it.
    expect(sheetXml(file).length).toBeLessThan(IMPORT_LIMITS.maxBytes * 0.8);
    await expect(readTable(file, '', { ...IMPORT_LIMITS, workerHeapMb: 32 })).rejects.toMatchObject({ status: 413, code: 'import_too_large' });
  });

  it('still imports an ordinary list after all that', async () => {
    const res = await upload(await xlsx((sheet) => sheet.addRows([header, ['C1', '干部', '张三'], ['C2', '干部', '李四']])), { path: `/api/admin/assessments/${assessmentId}/subjects` });
    expect(res.status).toBe(201);
    expect(res.body.subjects).toHaveLength(2);
    expect(server.logs.filter((l) => l.startsWith('error'))).toEqual([]);
  });
});
