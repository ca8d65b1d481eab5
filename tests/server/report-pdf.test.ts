import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiErrorBody } from '../../shared/errors';
import { ApiClient, byId, errorOf } from '../helpers/api-client';
import { startServer, type TestServer } from '../helpers/server';
import { SCREENSHOT_DIR } from '../helpers/browser';

/**
 * The report for the committee (issue 13, point 3): the demo province graded through the API,
 * its report.pdf read back the way a committee member would read it, with poppler: the §7
 * figures as the JSON report gives them, the names and reasons, page numbers, every page drawn.
 */

// Asynchronous: the test server runs in this process, and a blocked loop would drop its kept-alive connections.
const run = promisify(execFile);

let server: TestServer;
let admin: ApiClient;
let currentId: number;
let dir: string;

beforeAll(async () => {
  server = await startServer();
  admin = await new ApiClient(server.url).login();
  const loaded = await admin.call(admin.api.admin['demo-province'].$post());
  expect(loaded.status).toBe(201);
  currentId = loaded.body.currentId;
  dir = mkdtempSync(join(tmpdir(), 'ceping-report-pdf-'));
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await server.close();
});

const assessment = () => admin.api.admin.assessments[':id'];
let exports = 0;

/** POSTs for the PDF; returns the file's path once the answer is checked to be a PDF. */
async function exportPdf(): Promise<string> {
  const res = await assessment()['report.pdf'].$post(byId(currentId));
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('application/pdf');
  expect(res.headers.get('content-disposition')).toContain('attachment');
  const bytes = new Uint8Array(await res.arrayBuffer());
  expect(new TextDecoder().decode(bytes.slice(0, 5))).toBe('%PDF-');
  const file = join(dir, `report-${++exports}.pdf`);
  writeFileSync(file, bytes);
  return file;
}

const pdftotext = async (file: string, mode: '-layout' | '-raw') => (await run('pdftotext', [mode, file, '-'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })).stdout;
/** Raw text (content-stream order) without whitespace: a reason wrapped over lines of its cell reads as one string. */
const squeezed = async (file: string) => (await pdftotext(file, '-raw')).replace(/\s+/g, '');
const squeeze = (s: string) => s.replace(/\s+/g, '');
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const signed = (n: number, digits = 0) => `${n > 0 ? '\\+' : n < 0 ? '−' : '±'}${escape(Math.abs(n).toFixed(digits))}`;
const auditTotal = async () => (await admin.call(admin.api.admin.audit.$get({ query: { limit: '1' } }))).body.total;

describe('the committee report PDF', () => {
  it('prints the §7 counts of every category as the report gives them, the policy version, and the audit head after its own export entry', async () => {
    const report = (await admin.call(assessment().report.$get(byId(currentId)))).body;
    expect(report.groups.find((g) => g.group.id === 'provincial_teams')).toMatchObject({ total: 220, counts: { excellent: 57, good: 159, average: 4 } });
    const file = await exportPdf();
    const text = await pdftotext(file, '-layout');

    // One table row per category: its name, total, the count of every grade in order, the 优秀 share,
    // last year's 优秀 of last year's total, and the changes in count and in share points.
    for (const g of report.groups) {
      const change = g.change!;
      const row = [
        escape(g.group.zh),
        String(g.total),
        ...Object.values(g.counts).map(String),
        escape(`${g.excellentShare.toFixed(2)}%`),
        `${change.previousExcellent}/${change.previousTotal}`,
        signed(change.excellentCount),
        signed(change.excellentSharePoints, 2),
      ].join('\\s+');
      expect(text, g.group.zh).toMatch(new RegExp(row));
    }
    expect(text).toContain(`${report.policyId} 第 ${report.policyVersion} 版`);

    // The export is in the audit log, and the PDF prints the head right after that entry.
    const audit = (await admin.call(admin.api.admin.audit.$get({ query: { limit: '1' } }))).body;
    const [last] = audit.entries;
    expect(last).toMatchObject({ action: 'report.export', target: `assessment:${currentId}`, actor: 'admin' });
    expect(JSON.parse(last!.detail)).toMatchObject({ format: 'pdf' });
    expect(audit.broken).toBeNull();
    expect(text).toContain(`#${last!.seq}:${last!.hash}`);
  });

  it('lists every 不称职 subject with its reasons, every listed subject by name, and the overrides with their reasons', async () => {
    const before = (await admin.call(assessment().grading.$get(byId(currentId)))).body.result.subjects;
    const team = before.find((s) => s.kind === 'team' && s.finalGrade === 'good')!;
    const cadre = before.find((s) => s.kind === 'cadre' && s.finalGrade === 'competent')!;
    // The cadre's reason is long enough to wrap over several lines of its cell.
    const reasons = {
      [team.key]: '省委常委会研究决定：该班子年度内发生重大安全生产事故，调整为一般。',
      [cadre.key]: '省委常委会研究决定：该同志在抗洪抢险和灾后重建中担当作为、成效显著，群众公认度高，经组织考察核实，调整为优秀，并在全省通报表扬。'.repeat(2),
    };
    for (const [subjectKey, grade] of [[team.key, 'average'], [cadre.key, 'excellent']] as const) {
      const done = await admin.call(assessment().grading.overrides.$post({ ...byId(currentId), json: { subjectKey, grade, reason: reasons[subjectKey]! } }));
      expect(done.status).toBe(200);
    }
    const subjects = (await admin.call(assessment().grading.$get(byId(currentId)))).body.result.subjects;
    const text = await squeezed(await exportPdf());

    const incompetent = subjects.filter((s) => s.finalGrade === 'incompetent');
    expect(incompetent.length).toBeGreaterThan(0);
    for (const s of incompetent) {
      expect(text, s.name).toContain(s.name);
      for (const r of s.reasons) expect(text, `${s.name}: ${r.zh}`).toContain(squeeze(r.zh));
    }
    // Both overrides, named, with their reasons whole (the long one wrapped over lines).
    for (const s of [team, cadre]) expect(text).toContain(squeeze(reasons[s.key]!));
    expect(text).toContain(`${team.name}`);

    // Nothing dropped at a page break: every subject of a listed grade appears at least as often as it is listed.
    const listed = new Set(['excellent', 'average', 'poor', 'basically_competent', 'incompetent', 'undetermined']);
    const expected = new Map<string, number>();
    for (const s of subjects) if (listed.has(s.finalGrade)) expected.set(s.name, (expected.get(s.name) ?? 0) + 1);
    const short = [...expected].filter(([name, n]) => text.split(name).length - 1 < n);
    expect(short).toEqual([]);
    expect(expected.size).toBeGreaterThan(400);
  });

  it('renders every page, each numbered 第 N 页 / 共 M 页 and inked, with long lists continued under a repeated header', async () => {
    const file = await exportPdf();
    const pages = Number(/Pages:\s+(\d+)/.exec((await run('pdfinfo', [file], { encoding: 'utf8' })).stdout)![1]);
    expect(pages).toBeGreaterThan(3);
    const texts = (await pdftotext(file, '-layout')).split('\f').slice(0, pages);
    expect(texts).toHaveLength(pages);
    texts.forEach((page, i) => expect(page, `page ${i + 1}`).toContain(`第 ${i + 1} 页 / 共 ${pages} 页`));
    // A list that runs over a page starts the next with its caption marked 续 and the header row again.
    const continued = texts.filter((page) => page.includes('（续）'));
    expect(continued.length).toBeGreaterThan(pages / 2);
    for (const page of continued) expect(page).toMatch(/序号\s+名称 · 单位职务\s+综合得分\s+评定理由/);

    const out = join(dir, 'page');
    await run('pdftoppm', ['-r', '50', '-png', file, out]);
    const pngs = readdirSync(dir).filter((f) => f.startsWith('page') && f.endsWith('.png')).sort();
    expect(pngs).toHaveLength(pages);
    for (const name of pngs) {
      const png = PNG.sync.read(readFileSync(join(dir, name)));
      // Ink above the footer: the page has content, not only its number.
      let ink = 0;
      const body = Math.floor(png.height * 0.9);
      for (let p = 0; p < png.width * body; p++) if (png.data[p * 4]! < 128) ink++;
      expect(ink / (png.width * body), name).toBeGreaterThan(0.005);
    }
    // The first two pages at a readable size, for people to look at.
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await run('pdftoppm', ['-r', '80', '-png', '-f', '1', '-l', '2', file, join(SCREENSHOT_DIR, 'report-pdf')]);
  });

  it('is refused from another origin, to a GET, for an unknown or ungraded assessment, and then records nothing', async () => {
    const path = `/api/admin/assessments/${currentId}/report.pdf`;
    const fresh = await admin.call(admin.api.admin.assessments.$post({ json: { name: '未评定的考核', year: 2030 } }));
    expect(fresh.status).toBe(201);
    const audited = await auditTotal();

    const foreign = await fetch(server.url + path, { method: 'POST', headers: { Cookie: admin.cookie!, Origin: 'https://evil.example' } });
    expect(foreign.status).toBe(403);
    expect(((await foreign.json()) as ApiErrorBody).error.code).toBe('bad_origin');

    const get = await admin.get(path);
    expect(get.status).toBe(405);
    expect(errorOf(get).code).toBe('post_required');

    const unknown = await assessment()['report.pdf'].$post(byId(999_999));
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as unknown as ApiErrorBody).error.code).toBe('unknown_assessment');

    // Not graded yet: the same answer as the report read route's.
    const read = await admin.call(assessment().report.$get(byId(fresh.body.id)));
    const ungraded = await assessment()['report.pdf'].$post(byId(fresh.body.id));
    expect([ungraded.status, ((await ungraded.json()) as unknown as ApiErrorBody).error.code]).toEqual([read.status, errorOf(read).code]);
    expect(read.status).toBe(409);

    expect(await auditTotal()).toBe(audited);
  });
});
