import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, castBallot } from '../helpers/api-client';
import { launchBrowser } from '../helpers/browser';
import { startServer, type TestServer } from '../helpers/server';
import { logInInBrowser, saveScreenshot } from './helpers';

/**
 * The console's English switch: an admin switches to English and the navigation, a sitting,
 * its live turnout and its results read in English (only data such as names stay Chinese);
 * the choice survives a reload, and switching back gives Chinese again.
 */
let server: TestServer;
let browser: Browser;
let page: Page;
let admin: ApiClient;
let sittingId: number;

const ASSESSMENT = '2026年度省管领导班子和领导干部考核';
const SITTING = '省委全会测评';
const GROUP = '委员';
const TEAMS = ['兰州市委领导班子', '天水市委领导班子'];
const CADRES = ['张建国', '李卫东', '王秀英'];
const CADRE_TITLE = '市委书记';
/** Data the admin typed in, which no language switch translates. */
const DATA = [ASSESSMENT, SITTING, GROUP, ...TEAMS, ...CADRES, CADRE_TITLE];

/** Chinese left in a piece of the page once the data is taken out: each run of Chinese characters or full-width punctuation. */
async function leftoverChinese(selector: string): Promise<string[]> {
  let text = (await page.locator(selector).allTextContents()).join('\n');
  for (const d of [...DATA].sort((a, b) => b.length - a.length)) text = text.split(d).join(' ');
  return text.match(/[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]+/g) ?? [];
}

const texts = (selector: string) => page.locator(selector).allTextContents();
const text = async (selector: string) => ((await page.textContent(selector)) ?? '').trim();

const vote = (token: string) => castBallot(server.url, token);

beforeAll(async () => {
  server = await startServer({ withClient: true });
  admin = await new ApiClient(server.url).login();
  const assessmentId = (await admin.call(admin.api.admin.assessments.$post({ json: { name: ASSESSMENT, year: 2026 } }))).body.id as number;
  const assessment = { param: { id: String(assessmentId) } };
  const subjects = [
    ...TEAMS.map((name, i) => ({ key: `T${i + 1}`, kind: 'team' as const, name })),
    ...CADRES.map((name, i) => ({ key: `C${i + 1}`, kind: 'cadre' as const, name, title: CADRE_TITLE, teamKey: 'T1' })),
  ];
  expect((await admin.call(admin.api.admin.assessments[':id'].subjects.$post({ ...assessment, json: subjects }))).status).toBe(201);
  const sitting = await admin.call(
    admin.api.admin.assessments[':id'].sittings.$post({
      ...assessment,
      json: {
        name: SITTING,
        forms: ['team', 'cadre', 'political'],
        subjectKeys: subjects.map((s) => s.key),
        voterGroups: [{ name: GROUP, weight: 100 }],
      },
    }),
  );
  expect(sitting.status).toBe(201);
  sittingId = sitting.body.id;
  const param = { id: String(sittingId) };
  expect((await admin.call(admin.api.admin.sittings[':id'].open.$post({ param }))).status).toBe(200);
  const tokens = (await admin.call(admin.api.admin.sittings[':id'].tokens.$post({ param, json: { voterGroup: GROUP, count: 10 } }))).body.tokens as string[];
  for (const token of tokens.slice(0, 6)) expect(await vote(token)).toBe(201);

  browser = await launchBrowser();
  page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  await logInInBrowser(page, server.url);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('the console in English', () => {
  it('starts in Chinese and switches the navigation to English', async () => {
    expect(await texts('header.topbar nav a')).toEqual(['考核与场次', '评定办法', '账号', '审计日志']);
    expect(await text('[data-testid=lang]')).toBe('English');

    await page.click('[data-testid=lang]');
    expect(await texts('header.topbar nav a')).toEqual(['Assessments', 'Grading policy', 'Accounts', 'Audit log']);
    expect(await text('[data-testid=lang]')).toBe('中文');
    expect(await text('header.topbar .who')).toBe('中文admin · adminLog out');
    expect(await text('header.topbar .brand small')).toBe('Console');
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    // The home page around it: headings, the new-assessment form, the sittings table.
    expect(await texts('main h1')).toEqual(['Assessments', 'All sittings']);
    expect(await texts('main table.list th')).toEqual(['Sitting', 'Assessment', 'Status', '']);
    expect(await text('main table.list tbody tr')).toContain('Open');
    expect(await leftoverChinese('header.topbar nav, header.topbar .who button:not([data-testid=lang]), main')).toEqual([]);
  });

  it('shows a sitting page in English, with only its data in Chinese', async () => {
    await page.click(`main a:text("${SITTING}")`);
    await page.waitForSelector('[data-testid=turnout-link]');
    await page.waitForSelector('main table.list tbody tr');
    expect(await text('main h1')).toBe(`${SITTING} Open`);
    expect(await text('.states')).toBe('Draft → Rehearsal → Open → Closed → Published');
    expect(await text('[data-testid=turnout-link]')).toBe('Live turnout (projector)');
    expect(await text('[data-testid=close]')).toBe('Close sitting');
    expect(await texts('main h3')).toEqual(['Settings', 'Turnout', 'Issue slips', 'Organisers']);
    expect(await texts('main h2')).toEqual(['Slip batches']);
    const settings = await text('main .grid-2 .card');
    for (const line of ['Leadership team evaluation · 2 subjects', 'Cadre evaluation · 3 subjects', 'Political quality', `Voter groups: ${GROUP} (weight 100)`, 'minimum turnout']) expect(settings).toContain(line);
    expect(await texts('main table.list th')).toEqual(['#', 'Group', 'Slips', 'Printed', 'Issued at', '']);
    expect(await text('[data-testid=issue]')).toBe('Issue');
    expect(await leftoverChinese('main')).toEqual([]);
    await saveScreenshot(page, 'english-sitting.png');
  });

  it('shows the live turnout page in English', async () => {
    await page.click('[data-testid=turnout-link]');
    await page.waitForSelector('[data-testid=live].on');
    await page.waitForFunction(() => document.querySelector('[data-testid=used-issued]')?.textContent?.replace(/\s/g, '') === '6/10');
    expect(await text('[data-testid=live]')).toBe('● Live');
    expect(await text('[data-testid=turnout] header a.back')).toBe('‹ Back');
    expect(await texts('[data-testid=turnout] .headline .label')).toEqual(['Voted / issued', 'Turnout']);
    expect(await text('[data-testid=turnout] h2')).toBe('Ballots per minute');
    expect(await page.getAttribute('[data-testid=minute-chart]', 'aria-label')).toBe('Ballots per minute');
    expect(await leftoverChinese('[data-testid=turnout]')).toEqual([]);
  });

  it('closes the sitting through English dialogs and shows the results page in English', async () => {
    await page.click('[data-testid=turnout] header a.back');
    await page.click('[data-testid=close]');
    const dialog = page.locator('dialog.confirm');
    expect(await dialog.textContent()).toContain('Close the sitting');
    expect(await dialog.textContent()).toContain('No ballot is accepted after closing');
    expect(await leftoverChinese('dialog.confirm')).toEqual([]);
    await page.click('dialog [data-testid=confirm]');
    await page.waitForSelector('[data-testid=reconciliation]');
    expect(await text('[data-testid=reconciliation] h3')).toBe('Reconciliation');
    expect(await text('[data-testid=reconciliation] p.ok')).toBe('✓ Ballots counted equal slips used.');

    await page.click('[data-testid=results-link]');
    await page.waitForSelector('[data-testid=results-cadre]');
    expect(await text('[data-testid=results] h1')).toBe('Results Closed');
    expect(await text('[data-testid=export-xlsx]')).toBe('Export XLSX');
    expect(await text('[data-testid=export-csv]')).toBe('Export CSV');
    expect(await text('[data-testid=ballots]')).toBe('6');
    expect(await texts('.form-results h2')).toEqual([
      'Leadership team evaluation  (Overall)',
      'Cadre evaluation  (Overall)',
      expect.stringMatching(/^Political quality {2}\(.+\)$/),
    ]);
    expect(await texts('[data-testid=results-cadre] th')).toEqual(['Subject', 'Ratings', 'Excellent', 'Competent', 'Basically competent', 'Incompetent', 'Valid', 'Blank', 'Test score', 'Excellent', 'Incompetent', `${GROUP} mean`]);
    expect(await texts('[data-testid=results-team] th')).toEqual(['Subject', 'Ratings', 'Good', 'Fairly good', 'Average', 'Poor', 'Valid', 'Blank', 'Test score', 'Good', 'Poor', `${GROUP} mean`]);
    expect(await text('[data-testid=results-cadre] tbody tr')).toContain(CADRES[0]);
    expect(await leftoverChinese('main')).toEqual([]);
  });

  it('keeps English after a reload, server messages included', async () => {
    await page.reload();
    await page.waitForSelector('[data-testid=results-cadre]');
    expect(await text('[data-testid=results] h1')).toBe('Results Closed');
    expect(await texts('header.topbar nav a')).toEqual(['Assessments', 'Grading policy', 'Accounts', 'Audit log']);
    expect(await page.getAttribute('html', 'lang')).toBe('en');

    await page.goto(`${server.url}/admin/sittings/999999`);
    await page.waitForSelector('main [role=alert]');
    expect(await text('main [role=alert]')).toBe('Unknown sitting.');
  });

  it('switches back to Chinese, which a reload keeps too', async () => {
    await page.goto(`${server.url}/admin/sittings/${sittingId}/results`);
    await page.waitForSelector('[data-testid=results-cadre]');
    await page.click('[data-testid=lang]');
    expect(await text('[data-testid=lang]')).toBe('English');
    expect(await texts('header.topbar nav a')).toEqual(['考核与场次', '评定办法', '账号', '审计日志']);
    expect(await text('[data-testid=results] h1')).toBe('测评结果 已结束');
    expect(await texts('[data-testid=results-cadre] th')).toEqual(['考核对象', '评价分布', '优秀', '称职', '基本称职', '不称职', '有效', '弃权', '测评得分', '优秀率', '不称职率', `${GROUP}均分`]);
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    expect(await leftoverChinese('main')).toEqual(expect.arrayContaining(['测评结果', '导出', '有效票', '已打印']));

    await page.reload();
    await page.waitForSelector('[data-testid=results-cadre]');
    expect(await text('[data-testid=results] h1')).toBe('测评结果 已结束');
    expect(await texts('header.topbar nav a')).toEqual(['考核与场次', '评定办法', '账号', '审计日志']);
  });
});
