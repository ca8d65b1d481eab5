import { CsvError, parse as parseCsvStream } from 'csv-parse';
import * as z from 'zod/mini';
import { SubjectInput } from '../../../shared/api';
import type { ImportProblem, ImportPreview, SubjectField } from '../../../shared/api';
import { ApiError } from '../../http/errors';
import { IMPORT_LIMITS, type ImportLimits } from '../../limits';
import { readXlsx } from './xlsx-read';

/**
 * Subject lists as admins already keep them: CSV (UTF-8, with or without BOM, or GB18030 as
 * saved by Excel on Chinese Windows) or XLSX, with Chinese or English headers. Parsing never
 * saves anything: it returns the subjects and every bad row with its reason. Files are read
 * under IMPORT_LIMITS (server/limits.ts), XLSX in a worker thread (xlsx-read.ts).
 */

/** Header spellings (compared without spaces, case-insensitive) → field. 类型 is resolved by its values. */
const HEADERS: Record<string, SubjectField | 'kind_or_type'> = {
  键: 'key', 编号: 'key', 代码: 'key', 对象编号: 'key', key: 'key', id: 'key', code: 'key',
  对象类型: 'kind', 种类: 'kind', 班子或干部: 'kind', kind: 'kind',
  姓名: 'name', 名称: 'name', 姓名或名称: 'name', 班子名称: 'name', name: 'name',
  职务: 'title', 现任职务: 'title', title: 'title', position: 'title',
  类别: 'category', category: 'category',
  分类: 'type', 类型分类: 'type', type: 'type',
  所属班子: 'teamKey', 所属班子编号: 'teamKey', 班子编号: 'teamKey', teamkey: 'teamKey', team_key: 'teamKey', team: 'teamKey',
  '正职/副职': 'role', 正副职: 'role', 正职副职: 'role', 职别: 'role', role: 'role',
  类型: 'kind_or_type',
};

const KINDS: Record<string, 'team' | 'cadre'> = { 班子: 'team', 领导班子: 'team', team: 'team', 干部: 'cadre', 领导干部: 'cadre', cadre: 'cadre' };
const ROLES: Record<string, 'principal' | 'deputy'> = { 正职: 'principal', 正: 'principal', principal: 'principal', 副职: 'deputy', 副: 'deputy', deputy: 'deputy' };

const norm = (s: string) => s.replace(/[\s\u3000]+/g, '').toLowerCase();

/**
 * Bytes handed to the CSV parser at a time; the event loop gets a turn between slices. Bytes,
 * not characters: a slice of a string could split a character outside the BMP (𠀀) in two.
 */
const CSV_SLICE = 8 * 1024;

/**
 * RFC 4180 CSV through csv-parse: quoted fields with "" escapes and line breaks, CRLF, LF or CR,
 * comma / tab / semicolon (whichever splits the first line most), read in slices with the event
 * loop free between them, under the import limits (rows and columns count only fields holding a
 * value). A quote left open, or a stray quote inside a quoted field, refuses the file (415).
 */
export async function parseCsv(text: string, limits: ImportLimits = IMPORT_LIMITS): Promise<string[][]> {
  const started = Date.now();
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const firstLine = src.slice(0, src.search(/\r?\n|\r|$/));
  const delimiter = [',', '\t', ';'].reduce((best, d) => (firstLine.split(d).length > firstLine.split(best).length ? d : best), ',');
  const rows: string[][] = [];
  let records = 0;
  let refusal: ApiError | undefined;
  const parser = parseCsvStream({
    delimiter,
    record_delimiter: ['\r\n', '\n', '\r'],
    relax_column_count: true,
    relax_quotes: true,
    // Each record is checked and kept here; none goes on to the stream's readable side.
    on_record: (record: string[]) => {
      records++;
      if (refusal) return undefined;
      let last = record.length - 1;
      while (last >= 0 && record[last]!.trim() === '') last--;
      if (last >= limits.maxColumns) refusal = new ApiError(422, 'import_too_many_columns', { limit: limits.maxColumns, row: records, column: last + 1 });
      else if (records > limits.maxRows) {
        if (last >= 0) refusal = new ApiError(422, 'import_too_many_rows', { limit: limits.maxRows, row: records });
      } else rows.push(record.length > limits.maxColumns ? record.slice(0, limits.maxColumns) : record);
      return undefined;
    },
  });
  const finished = new Promise<void>((resolve, reject) => {
    parser.on('error', reject);
    parser.on('end', resolve);
  });
  finished.catch(() => {}); // awaited below, or dropped with a refusal
  parser.resume();
  const bytes = Buffer.from(src, 'utf-8');
  try {
    for (let at = 0; at < bytes.length && !refusal && !parser.destroyed; at += CSV_SLICE) {
      parser.write(bytes.subarray(at, at + CSV_SLICE));
      await new Promise<void>((turn) => setImmediate(turn));
      if (Date.now() - started > limits.timeBudgetMs) refusal = new ApiError(422, 'import_too_slow', { limit: limits.timeBudgetMs, unit: 'ms' });
    }
    if (!refusal) {
      if (!parser.destroyed) parser.end();
      await finished;
    }
  } catch (err) {
    if (err instanceof CsvError) throw new ApiError(415, 'unsupported_file', { reason: err.code, line: err.lines });
    throw err;
  } finally {
    if (refusal) parser.destroy();
  }
  if (refusal) throw refusal;
  // Blank lines after the last row holding a value are not rows of the table.
  while (rows.length > 0 && rows[rows.length - 1]!.every((c) => c.trim() === '')) rows.pop();
  return rows;
}

/** Bytes of a CSV file as text: UTF-8 when valid, else GB18030 (Excel's "CSV" on Chinese Windows). */
export function decodeCsv(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('gb18030').decode(bytes);
  }
}

export type FileKind = 'csv' | 'xlsx';

/** Which kind of file the bytes are: XLSX is a ZIP (PK\x03\x04); legacy .xls (OLE) is refused. */
export function sniffFile(bytes: Uint8Array, contentType: string): FileKind {
  if (bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) return 'xlsx';
  if (bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0) throw new ApiError(415, 'unsupported_file');
  if (/spreadsheetml|ms-excel|opendocument|pdf|zip/i.test(contentType)) throw new ApiError(415, 'unsupported_file');
  return 'csv';
}

/** An uploaded table (CSV or XLSX) as rows of text, read under the import limits (server/limits.ts). */
export async function readTable(bytes: Uint8Array, contentType: string, limits: ImportLimits = IMPORT_LIMITS): Promise<string[][]> {
  if (bytes.length === 0) return [];
  if (sniffFile(bytes, contentType) === 'xlsx') return readXlsx(bytes, limits);
  if (bytes.length > limits.maxBytes) throw new ApiError(413, 'import_too_large', { limit: limits.maxBytes, unit: 'bytes' });
  return parseCsv(decodeCsv(bytes), limits);
}

export interface ExistingSubjects {
  keys: ReadonlySet<string>;
  teamKeys: ReadonlySet<string>;
}

/**
 * Turns a table (header row first) into subjects, checking every row: required fields, kinds,
 * roles, lengths, keys repeated in the file or already in the assessment, and cadres' teams.
 */
export function subjectsFromTable(table: string[][], existing: ExistingSubjects): ImportPreview {
  const problems: ImportProblem[] = [];
  const headerIndex = table.findIndex((row) => row.some((c) => c.trim() !== ''));
  if (headerIndex < 0) return { total: 0, subjects: [], problems: [{ row: 1, reason: 'empty_file' }], columns: {} };
  const header = table[headerIndex]!;
  const dataRows = table.slice(headerIndex + 1).map((cells, i) => ({ row: headerIndex + 2 + i, cells })).filter((r) => r.cells.some((c) => c.trim() !== ''));

  // Columns: 类型 means kind when its values are 班子/干部, otherwise the subject's type (分类).
  const columns: Partial<Record<SubjectField, number>> = {};
  const headerOf: Record<string, SubjectField> = {};
  header.forEach((raw, index) => {
    // "姓名/名称", "编号（键）": the whole header first, then each of its parts.
    const mapped = [norm(raw), ...norm(raw).split(/[/、,，()（）]/)].map((h) => HEADERS[h]).find((f) => f !== undefined);
    if (!mapped) return;
    let field: SubjectField = mapped === 'kind_or_type' ? 'kind' : mapped;
    if (mapped === 'kind_or_type') {
      const values = dataRows.map((r) => norm(r.cells[index] ?? '')).filter((v) => v !== '');
      const looksLikeKind = values.length > 0 && values.filter((v) => v in KINDS).length >= values.length / 2;
      field = looksLikeKind && columns.kind === undefined ? 'kind' : 'type';
    }
    if (columns[field] !== undefined) return;
    columns[field] = index;
    headerOf[raw.trim()] = field;
  });
  const missing = (['key', 'kind', 'name'] as const).filter((f) => columns[f] === undefined);
  if (missing.length > 0) {
    for (const field of missing) problems.push({ row: headerIndex + 1, field, reason: 'missing_column' });
    return { total: dataRows.length, subjects: [], problems, columns: headerOf };
  }

  const get = (cells: string[], field: SubjectField) => {
    const index = columns[field];
    return index === undefined ? '' : (cells[index] ?? '').replace(/[\u3000]/g, ' ').trim();
  };
  const seen = new Map<string, number>();
  const teamsInFile = new Set<string>();
  for (const { cells } of dataRows) if (KINDS[norm(get(cells, 'kind'))] === 'team') teamsInFile.add(get(cells, 'key'));

  const subjects: SubjectInput[] = [];
  for (const { row, cells } of dataRows) {
    const rowProblems: ImportProblem[] = [];
    const key = get(cells, 'key');
    const kindText = get(cells, 'kind');
    const kind = KINDS[norm(kindText)];
    const name = get(cells, 'name');
    const roleText = get(cells, 'role');
    const role = roleText === '' ? undefined : ROLES[norm(roleText)];
    const teamKey = get(cells, 'teamKey');
    if (key === '') rowProblems.push({ row, field: 'key', reason: 'missing' });
    if (name === '') rowProblems.push({ row, field: 'name', reason: 'missing' });
    if (kindText === '') rowProblems.push({ row, field: 'kind', reason: 'missing' });
    else if (!kind) rowProblems.push({ row, field: 'kind', reason: 'bad_kind', value: kindText.slice(0, 40) });
    if (roleText !== '' && !role) rowProblems.push({ row, field: 'role', reason: 'bad_role', value: roleText.slice(0, 40) });
    if (key !== '') {
      const first = seen.get(key);
      if (first !== undefined) rowProblems.push({ row, field: 'key', reason: 'duplicate_key', value: key.slice(0, 64), otherRow: first });
      else seen.set(key, row);
      if (existing.keys.has(key)) rowProblems.push({ row, field: 'key', reason: 'key_exists', value: key.slice(0, 64) });
    }
    if (teamKey !== '' && !teamsInFile.has(teamKey) && !existing.teamKeys.has(teamKey)) {
      rowProblems.push({ row, field: 'teamKey', reason: 'unknown_team', value: teamKey.slice(0, 64) });
    }
    const candidate = {
      key,
      kind: kind ?? 'cadre',
      name,
      ...(get(cells, 'title') ? { title: get(cells, 'title') } : {}),
      ...(get(cells, 'category') ? { category: get(cells, 'category') } : {}),
      ...(get(cells, 'type') ? { type: get(cells, 'type') } : {}),
      ...(teamKey ? { teamKey } : {}),
      ...(role ? { role } : {}),
    };
    if (rowProblems.length === 0) {
      const parsed = z.safeParse(SubjectInput, candidate);
      if (!parsed.success) {
        for (const issue of parsed.error.issues) rowProblems.push({ row, field: String(issue.path[0] ?? '') as SubjectField, reason: 'too_long' });
      } else subjects.push(parsed.data);
    }
    problems.push(...rowProblems);
  }
  return { total: dataRows.length, subjects, problems, columns: headerOf };
}

/** The body of an upload: raw bytes with their content type, or the `file` part of a multipart form. */
export async function uploadedBytes(req: { header(name: string): string | undefined; arrayBuffer(): Promise<ArrayBuffer>; parseBody(): Promise<Record<string, unknown>> }): Promise<{ bytes: Uint8Array; contentType: string }> {
  const contentType = req.header('Content-Type') ?? '';
  if (/^multipart\/form-data/i.test(contentType)) {
    let form: Record<string, unknown>;
    try {
      form = await req.parseBody();
    } catch {
      throw new ApiError(400, 'invalid_request', { issues: [{ path: 'file', message: 'unreadable multipart body' }] });
    }
    const file = form.file;
    if (!(file instanceof File)) throw new ApiError(400, 'invalid_request', { issues: [{ path: 'file', message: 'a file part named "file" is required' }] });
    return { bytes: new Uint8Array(await file.arrayBuffer()), contentType: file.type };
  }
  return { bytes: new Uint8Array(await req.arrayBuffer()), contentType };
}
