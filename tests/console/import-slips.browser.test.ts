import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, byId } from '../helpers/api-client';
import { launchBrowser } from '../helpers/browser';
import { startServer, type TestServer } from '../helpers/server';
import { decodePdfPageQrs, decodeQrsOnPage, logInInBrowser, saveScreenshot, subjectList, xlsxOf } from './helpers';

/**
 * Acceptance 1: in the browser, an admin imports a 120-row XLSX (two bad rows reported,
 * nothing saved), fixes it, imports, creates a sitting, issues 50 slips and prints them; every
 * QR on the printed page decodes to a working /vote# URL.
 */
let server: TestServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let admin: ApiClient;
const subjectsOf = async (assessmentId: number) => admin.call(admin.api.admin.assessments[':id'].subjects.$get(byId(assessmentId)));
const sittingOf = async (sittingId: number) => admin.call(admin.api.admin.sittings[':id'].$get(byId(sittingId)));

beforeAll(async () => {
  server = await startServer({ withClient: true });
  admin = await new ApiClient(server.url).login();
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 2 });
  page = await context.newPage();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('the admin console, from subject list to printed slips', () => {
  let assessmentId: number;
  let sittingId: number;
  let slipsUrl: string;
  const printedUrls = new Set<string>();

  it('lists both bad rows of an uploaded XLSX and saves nothing, then imports the fixed file', async () => {
    await logInInBrowser(page, server.url);
    await page.fill('input[name=assessmentName]', '2026年度考核（浏览器测试）');
    await page.click('button:has-text("新建考核")');
    await page.waitForURL(/\/admin\/assessments\/\d+$/);
    assessmentId = Number(page.url().split('/').pop());

    const rows = subjectList(20, 100);
    expect(rows).toHaveLength(120);
    const bad = rows.map((r) => ({ ...r }));
    bad[36]!.kind = '领导'; // spreadsheet row 38: unknown kind
    bad[87]!.name = ''; // spreadsheet row 89: no name
    await page.setInputFiles('input[name=subjectsFile]', { name: '名单.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: await xlsxOf(bad) });
    const problems = page.locator('[data-testid=import-problems] tbody tr');
    await problems.first().waitFor();
    expect(await problems.count()).toBe(2);
    expect(await problems.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-row')))).toEqual(['38', '89']);
    expect(await page.textContent('[data-testid=import-problems]')).toContain('领导');
    expect(await page.locator('[data-testid=import-save]').count()).toBe(0);
    await saveScreenshot(page, 'import-problems.png');
    const before = await subjectsOf(assessmentId);
    expect(before.status).toBe(200);
    expect(before.body.subjects).toHaveLength(0);

    await page.setInputFiles('input[name=subjectsFile]', { name: '名单-修正.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: await xlsxOf(rows) });
    await saveScreenshot(page, 'import-preview.png');
    await page.click('[data-testid=import-save]');
    await page.waitForSelector('[data-testid=import-done]');
    const after = await subjectsOf(assessmentId);
    expect(after.body.subjects).toHaveLength(120);
    expect(after.body.subjects.find((s: { key: string }) => s.key === 'C0001')).toMatchObject({ kind: 'cadre', teamKey: 'T001', role: 'principal', title: '市委书记' });
    expect(await page.locator('[data-testid=subjects] tbody tr').count()).toBe(120);
  });

  it('creates a sitting, opens it after confirmation and issues 50 slips', async () => {
    await page.click('[data-testid=new-sitting]');
    await page.fill('input[name=sittingName]', '省委全会测评（浏览器测试）');
    await page.click('[data-testid=create-sitting]');
    await page.waitForURL(/\/admin\/sittings\/\d+$/);
    sittingId = Number(page.url().split('/').pop());
    const sitting = await sittingOf(sittingId);
    expect(sitting.body.status).toBe('draft');
    expect(sitting.body.forms.map((f: { kind: string; subjects: unknown[] }) => [f.kind, f.subjects.length])).toEqual([
      ['team', 20],
      ['cadre', 100],
    ]);

    await page.click('[data-testid=open]');
    await page.click('dialog [data-testid=confirm]');
    await page.waitForSelector('[data-testid=close]');
    expect((await sittingOf(sittingId)).body.status).toBe('open');

    await page.selectOption('select[name=voterGroup]', '上级');
    await page.fill('input[name=count]', '50');
    await page.click('[data-testid=issue]');
    await page.waitForSelector('[data-testid=issued]');
    slipsUrl = (await page.getAttribute('[data-testid=slips-page]', 'data-action'))!;
    expect(slipsUrl).toMatch(/^\/api\/admin\/batches\/\d+\/slips$/);
  });

  it('prints 50 slips whose QR codes each decode to a distinct, working /vote# URL', async () => {
    // The button POSTs (printing is counted and audited) and the slips open in a new tab.
    const [print] = await Promise.all([context.waitForEvent('page'), page.click('[data-testid=slips-page]')]);
    await print.waitForLoadState();
    const slips = print.locator('.slip svg');
    expect(await slips.count()).toBe(50);
    expect(await print.locator('.sheet').count()).toBe(5);
    await saveScreenshot(print, 'slips-page.png');
    const decoded = await decodeQrsOnPage(print, '.slip svg');
    expect(decoded.filter((d) => d === null)).toHaveLength(0);
    const urls = decoded as string[];
    for (const url of urls) printedUrls.add(url);
    await print.close();
    expect(new Set(urls).size).toBe(50);
    const phone = new ApiClient(server.url, null);
    for (const url of urls) {
      expect(url.startsWith(`${server.url}/vote#`)).toBe(true);
      const token = url.slice(url.indexOf('#') + 1);
      const res = await phone.call(phone.api.voter.ballot.$post({ json: { token } }));
      expect(res.status).toBe(200);
    }
    const overview = await admin.call(admin.api.admin.sittings[':id'].overview.$get(byId(sittingId)));
    expect(overview.body.batches).toMatchObject([{ count: 50, printed: 50, dryRun: false }]);
  });

  it('offers the same slips as a PDF from the print queue', async () => {
    const batchId = slipsUrl.split('/')[4];
    const res = await page.request.post(`${server.url}/api/admin/batches/${batchId}/slips.pdf`, { headers: { Origin: server.url } });
    expect(res.status()).toBe(200);
    expect(res.headers()['content-type']).toBe('application/pdf');
    const body = await res.body();
    expect(body.subarray(0, 5).toString()).toBe('%PDF-');
    expect((body.toString('latin1').match(/\/Type \/Page\b/g) ?? []).length).toBe(5);

    // With Debian's poppler-utils, render the first page and decode its ten QR codes too.
    if (existsSync('/usr/bin/pdftoppm')) {
      const dir = mkdtempSync(join(tmpdir(), 'ceping-pdf-'));
      writeFileSync(join(dir, 'slips.pdf'), body);
      execFileSync('pdftoppm', ['-r', '150', '-png', '-f', '1', '-l', '1', join(dir, 'slips.pdf'), join(dir, 'page')]);
      const png = readdirSync(dir).find((f) => f.endsWith('.png'))!;
      const decoded = decodePdfPageQrs(readFileSync(join(dir, png)), 150);
      rmSync(dir, { recursive: true, force: true });
      expect(decoded).toHaveLength(10);
      for (const url of decoded) expect(url).toMatch(new RegExp(`^${server.url}/vote#[a-z2-7]{26}$`));
      expect(decoded.every((url) => printedUrls.has(url!))).toBe(true);
    }
  });

  it('rehearses a sitting with test slips marked on screen and on paper, counted apart, and clears them in one click', async () => {
    // Practice slips vote only in a rehearsal, before a sitting opens: a second sitting, still a draft.
    const { assessmentId } = (await sittingOf(sittingId)).body;
    const subjects = (await subjectsOf(assessmentId)).body.subjects as { key: string; kind: string }[];
    const created = await admin.call(
      admin.api.admin.assessments[':id'].sittings.$post({
        ...byId(assessmentId),
        json: {
          name: '演练场次',
          forms: ['cadre'],
          subjectKeys: subjects.filter((x) => x.kind === 'cadre').slice(0, 5).map((x) => x.key),
          voterGroups: [{ name: '上级', weight: 100 }],
        },
      }),
    );
    const rehearsalId = created.body.id as number;
    await page.goto(`${server.url}/admin/sittings/${rehearsalId}`);
    await page.click('[data-testid=rehearse]');
    await page.click('dialog [data-testid=confirm]');
    await page.waitForSelector('h1 .status-rehearsal');
    expect((await sittingOf(rehearsalId)).body.status).toBe('rehearsal');

    await page.check('input[name=dryRun]');
    await page.fill('input[name=count]', '5');
    await page.click('[data-testid=issue]');
    await page.waitForSelector('[data-testid=issued].dry');
    const [print] = await Promise.all([context.waitForEvent('page'), page.click('[data-testid=slips-page]')]);
    await print.waitForLoadState();
    expect(await print.locator('.slip.dry').count()).toBe(5);
    expect(await print.textContent('.slip')).toContain('演练票 无效');
    await saveScreenshot(print, 'slips-dry-run.png');
    await print.close();

    await page.reload();
    await page.waitForSelector('[data-testid=dry-run-count]');
    expect(await page.textContent('[data-testid=dry-run-count]')).toContain('0 / 发出 5');
    await saveScreenshot(page, 'sitting.png');
    await page.click('[data-testid=clear-dry-run]');
    await page.click('dialog [data-testid=confirm]');
    await page.waitForSelector('[data-testid=dry-run-count]', { state: 'detached' });
    const turnout = await admin.call(admin.api.admin.sittings[':id'].turnout.$get(byId(rehearsalId)));
    expect(turnout.body).toMatchObject({ issued: 0, dryRun: { issued: 0, used: 0 } });
  });

  it('shows the audit log with its chain verified', async () => {
    await page.click('a[href="/admin/audit"]');
    await page.waitForSelector('[data-testid=audit-status]');
    expect(await page.textContent('[data-testid=audit-status]')).toContain('哈希链完整');
    expect(await page.textContent('table.audit')).toContain('sitting.clear_dry_run');
    await saveScreenshot(page, 'audit.png');
  });
});
