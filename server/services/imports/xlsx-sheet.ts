import type ExcelJS from 'exceljs';
import { createRequire } from 'node:module';
import { Readable } from 'node:stream';
import { ApiError } from '../../http/errors';
import type { ImportLimits } from '../../limits';
import { declaredSize, inflateEntry, storedZip, zipEntries, ZipError, ZipTooLargeError, type ZipEntry } from './zip';

/**
 * The first worksheet of an XLSX file as rows of text, read under IMPORT_LIMITS. Runs in the
 * XLSX worker (xlsx-worker.ts), never on the server's event loop. Only the parts a table needs
 * are inflated, each under what is left of the byte budget; exceljs then streams them from an
 * uncompressed copy, so it never inflates anything itself. Only cells holding a value count
 * toward rows and columns, and only they are kept: a style on an empty cell far away costs nothing.
 */

/**
 * exceljs' streaming reader alone: the package's entry loads every part of it (writers, CSV,
 * themes), which takes the worker half a second more to start than the reader does.
 */
const WorkbookReader: typeof ExcelJS.stream.xlsx.WorkbookReader = createRequire(import.meta.url)('exceljs/lib/stream/xlsx/workbook-reader.js');

/** Bytes handed to exceljs at a time. */
const XML_SLICE = 64 * 1024;

const REL_TYPE = {
  sharedStrings: '/relationships/sharedStrings',
  styles: '/relationships/styles',
} as const;

export function tooLarge(limits: ImportLimits): ApiError {
  return new ApiError(413, 'import_too_large', { limit: limits.maxBytes, unit: 'bytes' });
}

/** Refuses an archive whose directory already claims more than the byte budget: nothing inflated yet. */
export function checkDirectory(bytes: Uint8Array, limits: ImportLimits): ZipEntry[] {
  let entries: ZipEntry[];
  try {
    entries = zipEntries(bytes);
  } catch (err) {
    if (err instanceof ZipError) throw new ApiError(415, 'unsupported_file');
    throw err;
  }
  if (declaredSize(entries) > limits.maxBytes) throw tooLarge(limits);
  return entries;
}

function decodeXml(s: string): string {
  return s.replace(/&(amp|lt|gt|quot|apos);/g, (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" })[e]!);
}

/** The attributes of each element with this local name (any namespace prefix) in a small XML part. */
function elements(xml: string, localName: string): Record<string, string>[] {
  const out: Record<string, string>[] = [];
  for (const m of xml.matchAll(new RegExp(`<(?:[\\w.-]+:)?${localName}\\b([^>]*)>`, 'g'))) {
    const attrs: Record<string, string> = {};
    for (const a of m[1]!.matchAll(/([\w.-]+(?::[\w.-]+)?)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) attrs[a[1]!] = decodeXml(a[2] ?? a[3] ?? '');
    out.push(attrs);
  }
  return out;
}

/** A relationship target as a path in the archive (targets are relative to xl/ unless absolute). */
function partPath(target: string): string {
  const parts = (target.startsWith('/') ? target.slice(1) : `xl/${target}`).split('/');
  const path: string[] = [];
  for (const p of parts) {
    if (p === '..') path.pop();
    else if (p !== '.' && p !== '') path.push(p);
  }
  return path.join('/');
}

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((r) => r.text ?? '').join('');
    if ('text' in value && typeof value.text === 'string') return value.text;
    if ('result' in value) return cellText((value.result ?? null) as ExcelJS.CellValue);
    if ('error' in value) return '';
  }
  return '';
}

export async function readFirstSheet(bytes: Uint8Array, limits: ImportLimits): Promise<string[][]> {
  const entries = new Map(checkDirectory(bytes, limits).map((e) => [e.name, e]));
  let used = 0;
  const inflate = (name: string | undefined): Buffer | undefined => {
    const entry = name === undefined ? undefined : entries.get(name);
    if (!entry) return undefined;
    try {
      const data = inflateEntry(bytes, entry, limits.maxBytes - used);
      used += data.length;
      return data;
    } catch (err) {
      if (err instanceof ZipTooLargeError) throw tooLarge(limits);
      if (err instanceof ZipError) throw new ApiError(415, 'unsupported_file');
      throw err;
    }
  };

  const workbook = inflate('xl/workbook.xml');
  if (!workbook) throw new ApiError(415, 'unsupported_file');
  const relsXml = inflate('xl/_rels/workbook.xml.rels');
  const rels = relsXml ? elements(relsXml.toString('utf-8'), 'Relationship') : [];
  const target = (type: string) => rels.find((r) => r.Type?.endsWith(type))?.Target;
  // The first sheet in the workbook's order (its tabs), as exceljs' `worksheets[0]`.
  const firstRid = elements(workbook.toString('utf-8'), 'sheet').map((a) => Object.entries(a).find(([k]) => k.endsWith(':id'))?.[1])[0];
  const firstTarget = rels.find((r) => r.Id === firstRid)?.Target;
  const sheetNames = [...entries.keys()].filter((n) => /^xl\/worksheets\/sheet\d+\.xml$/.test(n)).sort((a, b) => Number(/\d+/.exec(a)![0]) - Number(/\d+/.exec(b)![0]));
  const sheetPath = firstTarget !== undefined && entries.has(partPath(firstTarget)) ? partPath(firstTarget) : sheetNames[0];
  if (sheetPath === undefined) return [];
  const styles = inflate(partPath(target(REL_TYPE.styles) ?? 'styles.xml'));
  const sharedStrings = inflate(partPath(target(REL_TYPE.sharedStrings) ?? 'sharedStrings.xml'));
  const sheet = inflate(sheetPath)!;

  // exceljs streams a sheet directly once it has the relationships and shared strings (else it
  // buffers the sheet in a temporary file): give it those first, under the names it looks for.
  const empty = (xml: string) => Buffer.from(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n${xml}`);
  const zip = storedZip([
    { name: 'xl/_rels/workbook.xml.rels', data: relsXml ?? empty('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"/>') },
    { name: 'xl/workbook.xml', data: workbook },
    ...(styles ? [{ name: 'xl/styles.xml', data: styles }] : []),
    { name: 'xl/sharedStrings.xml', data: sharedStrings ?? empty('<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>') },
    { name: 'xl/worksheets/sheet1.xml', data: sheet },
  ]);

  // In slices: exceljs parses each chunk whole before it hands on a row, so one chunk of the
  // whole sheet would be read to its end before a limit could stop it.
  const slices = function* () {
    for (let at = 0; at < zip.length; at += XML_SLICE) yield zip.subarray(at, at + XML_SLICE);
  };
  const reader = new WorkbookReader(Readable.from(slices()), {
    worksheets: 'emit',
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    entries: 'ignore',
  });
  const table: string[][] = [];
  try {
    for await (const worksheet of reader) {
      for await (const row of worksheet) {
        const cells: string[] = [];
        row.eachCell({ includeEmpty: false }, (cell, col) => {
          const text = cellText(cell.value);
          if (text.trim() === '') return;
          if (col > limits.maxColumns) throw new ApiError(422, 'import_too_many_columns', { limit: limits.maxColumns, cell: cell.address });
          cells[col - 1] = text;
        });
        if (cells.length === 0) continue;
        if (row.number > limits.maxRows) throw new ApiError(422, 'import_too_many_rows', { limit: limits.maxRows, row: row.number });
        table[row.number - 1] = Array.from(cells, (c) => c ?? '');
      }
      break;
    }
  } catch (err) {
    if (err instanceof ApiError) throw err;
    throw new ApiError(415, 'unsupported_file');
  }
  return Array.from(table, (r) => r ?? []);
}
