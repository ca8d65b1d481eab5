import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, castBallot, byId } from '../helpers/api-client';
import { launchBrowser } from '../helpers/browser';
import { startServer, type TestServer } from '../helpers/server';
import { decodeQrsOnPage, logInInBrowser, saveScreenshot } from './helpers';

/**
 * An organiser's day (PRODUCT "Users: Organiser"): an admin sets up two sittings and assigns
 * the organiser to one; the organiser logs in through the console, sees only that sitting,
 * prints its slips and watches its turnout live, and is refused everything an admin sees.
 */
let server: TestServer;
let browser: Browser;
let page: Page;
let admin: ApiClient;
let assessmentId: number;
let mineId: number;
let otherId: number;
let slips: string[] = [];

const ORGANISER = 'zuzhi-li';
const ORGANISER_PASSWORD = 'organiser-password-1';
const MINE = '市直机关第一会场测评';
const OTHER = '市州第二会场测评';
const SUBJECT_NAMES = ['张建国', '李卫东', '王秀英', '赵志刚', '陈红梅', '刘德华'];
const REFUSAL = '没有权限进行此操作。';

const vote = (token: string) => castBallot(server.url, token);

/** Everything the page shows, top bar included. */
async function visibleText(): Promise<string> {
  return (await page.textContent('body')) ?? '';
}

/** Opens a console URL by typing it, and waits for the console's answer to arrive. */
async function goTo(path: string): Promise<void> {
  await page.goto(`${server.url}${path}`);
  await page.waitForSelector('header.topbar');
  await page.waitForFunction(() => !document.querySelector('main.content')?.textContent?.match(/^(加载中…|Loading…)?$/));
}

beforeAll(async () => {
  server = await startServer({ withClient: true });
  admin = await new ApiClient(server.url).login();
  const assessment = await admin.call(admin.api.admin.assessments.$post({ json: { name: '2026年度市管领导干部考核', year: 2026 } }));
  assessmentId = assessment.body.id;
  const subjects = SUBJECT_NAMES.map((name, i) => ({ key: `C${i + 1}`, kind: 'cadre' as const, name, title: '副市长' }));
  expect((await admin.call(admin.api.admin.assessments[':id'].subjects.$post({ ...byId(assessmentId), json: subjects }))).status).toBe(201);
  const sitting = async (name: string) => {
    const res = await admin.call(
      admin.api.admin.assessments[':id'].sittings.$post({ ...byId(assessmentId), json: { name, forms: ['cadre'], subjectKeys: subjects.map((s) => s.key), voterGroups: [{ name: '委员', weight: 100 }] } }),
    );
    expect(res.status).toBe(201);
    expect((await admin.call(admin.api.admin.sittings[':id'].open.$post(byId(res.body.id)))).status).toBe(200);
    return res.body.id as number;
  };
  mineId = await sitting(MINE);
  otherId = await sitting(OTHER);

  const organiser = await admin.call(admin.api.admin.users.$post({ json: { username: ORGANISER, password: ORGANISER_PASSWORD, role: 'organiser' } }));
  expect(organiser.status).toBe(201);
  expect((await admin.call(admin.api.admin.sittings[':id'].organisers.$post({ ...byId(mineId), json: { userId: organiser.body.id } }))).status).toBe(200);
  const issued = await admin.call(admin.api.admin.sittings[':id'].tokens.$post({ ...byId(mineId), json: { voterGroup: '委员', count: 12 } }));
  expect(issued.status).toBe(201);
  slips = issued.body.tokens;
  expect((await admin.call(admin.api.admin.sittings[':id'].tokens.$post({ ...byId(otherId), json: { voterGroup: '委员', count: 8 } }))).status).toBe(201);

  browser = await launchBrowser();
  page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('an organiser in the console', () => {
  it('logs in through the login page and sees only the sitting assigned to them, with no admin navigation', async () => {
    await logInInBrowser(page, server.url, ORGANISER, ORGANISER_PASSWORD);
    await page.waitForSelector('table.list tbody tr');

    expect(await page.textContent('main h1')).toBe('我负责的测评场次');
    const rows = await page.locator('table.list tbody tr').allTextContents();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toContain(MINE);
    expect(rows[0]).toContain('进行中');
    expect(await visibleText()).not.toContain(OTHER);

    // The top bar: their own sittings, their name and role, and nothing only admins use.
    expect(await page.locator('header.topbar nav a').allTextContents()).toEqual(['我的场次']);
    expect(await page.textContent('header.topbar .who')).toContain(`${ORGANISER} · 组织人员`);
    for (const adminOnly of ['账号', '审计日志', '评定办法', '考核与场次', '新建考核', '载入演示省份']) expect(await visibleText()).not.toContain(adminOnly);
    for (const href of ['/admin/users', '/admin/audit', '/admin/policy', `/admin/assessments/${assessmentId}`]) expect(await page.locator(`a[href="${href}"]`).count(), href).toBe(0);
    await saveScreenshot(page, 'organiser-home.png');
  });

  it('opens the assigned sitting, which lists its slip batch but offers no admin actions', async () => {
    await page.click(`a:text("${MINE}")`);
    await page.waitForSelector('[data-testid=turnout-link]');
    expect(await page.textContent('main h1')).toContain(MINE);
    expect(await page.textContent('.crumbs a')).toBe('我的场次');
    const batch = page.locator('table.list tbody tr');
    expect(await batch.count()).toBe(1);
    expect(await batch.textContent()).toContain('委员');
    expect(await batch.locator('td').nth(2).textContent()).toBe('12');
    // Issuing, opening, closing, results and assigning organisers are the admin's.
    for (const testid of ['issue', 'open', 'close', 'reopen', 'publish', 'results-link', 'clear-dry-run']) expect(await page.locator(`[data-testid=${testid}]`).count(), testid).toBe(0);
    for (const heading of ['发放测评票', '组织人员']) expect(await page.locator('main h3', { hasText: heading }).count(), heading).toBe(0);
  });

  it('opens the printable slips page of that sitting, every QR a /vote# link', async () => {
    const [slipsPage] = await Promise.all([page.context().waitForEvent('page'), page.click('button:text("打印页")')]);
    await slipsPage.waitForLoadState();
    expect(slipsPage.url()).toMatch(/\/api\/admin\/batches\/\d+\/slips$/);
    expect(await slipsPage.textContent('header')).toContain(MINE);
    expect(await slipsPage.textContent('header')).toContain('12 张');
    expect(await slipsPage.locator('section.slip').count()).toBe(12);
    const decoded = await decodeQrsOnPage(slipsPage, 'section.slip svg');
    expect(decoded.map((url) => url?.replace(/#.*/, '#'))).toEqual(Array(12).fill(`${server.url}/vote#`));
    expect(new Set(decoded.map((url) => url?.split('#')[1]))).toEqual(new Set(slips));
    await slipsPage.close();
  });

  it('watches the turnout page, where a ballot cast by a script appears within a second', async () => {
    await page.click('[data-testid=turnout-link]');
    await page.waitForSelector('[data-testid=live].on');
    await page.waitForFunction(() => document.querySelector('[data-testid=used-issued]')?.textContent?.replace(/\s/g, '') === '0/12');
    expect(await page.textContent('[data-testid=turnout] h1')).toBe(MINE);

    const started = Date.now();
    expect(await vote(slips[0]!)).toBe(201);
    await page.waitForFunction(() => document.querySelector('[data-testid=used]')?.textContent === '1', undefined, { timeout: 1000 });
    const elapsed = Date.now() - started;
    console.log(`organiser turnout: ballot visible after ${elapsed} ms`);
    expect(elapsed).toBeLessThan(1000);
    expect(await page.textContent('[data-testid="group-委员"]')).toBe('1 / 12');

    for (const token of slips.slice(1, 5)) expect(await vote(token)).toBe(201);
    await page.waitForFunction(() => document.querySelector('[data-testid=used]')?.textContent === '5');
    expect(await page.textContent('[data-testid="group-委员"]')).toBe('5 / 12');
    await page.waitForFunction(() => Array.from(document.querySelectorAll('[data-testid=minute-chart] .col-label')).reduce((n, el) => n + Number(el.textContent), 0) === 5);
    await saveScreenshot(page, 'organiser-turnout.png');
  });

  it('is refused, by URL, the other sitting, its turnout and the results', async () => {
    await goTo(`/admin/sittings/${otherId}`);
    expect(await page.textContent('main [role=alert]')).toBe(REFUSAL);
    expect(await visibleText()).not.toContain(OTHER);

    await goTo(`/admin/sittings/${otherId}/turnout`);
    await page.waitForSelector('main [role=alert]');
    expect(await page.textContent('main [role=alert]')).toBe(REFUSAL);
    expect(await visibleText()).not.toContain(OTHER);
    expect(await page.locator('[data-testid=used-issued]').count()).toBe(0);
    await saveScreenshot(page, 'organiser-refused-turnout.png');

    await goTo(`/admin/sittings/${mineId}/results`);
    expect(await page.textContent('main [role=alert]')).toBe(REFUSAL);
    expect(await page.locator('[data-testid=results]').count()).toBe(0);
  });

  it('is refused, by URL, the assessment, its subjects, the accounts, the audit log and the grading policy', async () => {
    await goTo(`/admin/assessments/${assessmentId}`);
    expect(await page.textContent('main [role=alert]')).toBe(REFUSAL);
    for (const name of [...SUBJECT_NAMES, OTHER]) expect(await visibleText()).not.toContain(name);

    await goTo('/admin/users');
    await page.waitForSelector('main [role=alert]');
    expect(await page.textContent('main [role=alert]')).toBe(REFUSAL);
    expect(await page.locator('main table').count()).toBe(0);
    expect(await page.textContent('main')).not.toMatch(/\badmin\b/);
    await saveScreenshot(page, 'organiser-refused-users.png');

    await goTo('/admin/audit');
    await page.waitForSelector('main [role=alert]');
    expect(await page.textContent('main [role=alert]')).toBe(REFUSAL);
    expect(await page.locator('table.audit').count()).toBe(0);
    expect(await visibleText()).not.toContain('sitting.assign_organiser');

    await goTo('/admin/policy');
    expect(await page.textContent('main [role=alert]')).toBe(REFUSAL);
    expect(await page.locator('[data-testid=policy-form]').count()).toBe(0);
  });

  it('sees only the refusal on the accounts and audit pages: no endless loading, no new-account form', async () => {
    await goTo('/admin/users');
    await page.waitForSelector('main [role=alert]');
    expect(await page.textContent('main')).not.toContain('加载中');
    expect(await page.locator('main form').count()).toBe(0);

    await goTo('/admin/audit');
    await page.waitForSelector('main [role=alert]');
    expect(await page.textContent('main')).not.toContain('加载中');
  });

  it('is not told that a refused turnout page is connecting', async () => {
    await goTo(`/admin/sittings/${otherId}/turnout`);
    await page.waitForSelector('main [role=alert]');
    expect(await page.textContent('main')).not.toContain('连接中');
  });
});
