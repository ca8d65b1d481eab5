import { mkdirSync } from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { SCREENSHOT_DIR, serverAndBrowser } from '../helpers/browser';
import { leaked, tabletContext, traces } from './kiosk-page';
import { closeAndCount, countedByServer, expectedCounts, openSittingWithSlips, seriousViolations, VoterPage } from './voter-page';

/**
 * The voter who walks away from the shared tablet mid-ballot (/vote?kiosk): after two minutes
 * without a touch the tablet asks "还在投票吗？" for 30 s, then erases that ballot unsubmitted
 * and shows the scan screen; the slip stays unspent. Playwright's clock stands in for the
 * minutes. The slips are typed in (the scan screen's fallback, the same path as a scanned QR
 * code): the camera's part is tests/voter/kiosk.test.ts's.
 */
describe('the shared tablet left alone mid-ballot', () => {
  const env = serverAndBrowser();
  mkdirSync(SCREENSHOT_DIR, { recursive: true });

  const scanHeading = (page: Page) => page.getByRole('heading', { name: '请扫描您的测评票' });
  const ballotHeading = (page: Page) => page.getByRole('heading', { name: '领导干部测评' });
  const prompt = (page: Page) => page.getByRole('alertdialog', { name: '还在投票吗？' });

  /** A tablet without a camera, its clock Playwright's from the first page on. */
  async function tablet(): Promise<{ context: BrowserContext; page: Page }> {
    const context = await tabletContext(env.browser);
    await context.addInitScript(() => {
      navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException('no camera', 'NotFoundError'));
    });
    const page = await context.newPage();
    await page.clock.install();
    await page.goto(`${env.server.url}/vote?kiosk`);
    await scanHeading(page).waitFor();
    return { context, page };
  }

  async function typeSlip(page: Page, token: string): Promise<void> {
    await page.getByLabel('没有摄像头？输入票码').fill(token);
    await page.getByLabel('没有摄像头？输入票码').press('Enter');
  }

  /** Nothing shows the prompt for a moment of real time (the page's timers run on the faked clock). */
  async function noPrompt(page: Page): Promise<void> {
    await page.waitForTimeout(300);
    expect(await prompt(page).count()).toBe(0);
  }

  it('asks after two idle minutes, keeps the ballot on 继续投票, and after 30 s more erases it unsubmitted: the slip opens again, empty, and counts once', async () => {
    const sitting = await openSittingWithSlips(env.server, { cadres: 3 });
    const token = sitting.tokens[0]!;
    const { context, page } = await tablet();
    const voter = new VoterPage(page, env.server.url);
    await typeSlip(page, token);
    await ballotHeading(page).waitFor();
    await voter.choice('干部1', '总体评价', '优秀').check();
    await voter.choice('干部2', '总体评价', '不称职').check();
    await expect.poll(async () => Object.keys((await voter.stored()).drafts[0]?.answers?.cadre ?? {}).length).toBe(2);
    const submission: string = (await voter.stored()).drafts[0].submissionId;

    // Reading, thinking: no prompt within two minutes of the last tap, and each tap starts them again.
    await page.clock.fastForward(100_000);
    await noPrompt(page);
    await voter.choice('干部3', '总体评价', '称职').check();
    await page.clock.fastForward(100_000);
    await noPrompt(page);

    // Two minutes since the last tap: the question, over a ballot now all but hidden.
    await page.clock.fastForward(25_000);
    await prompt(page).waitFor();
    expect(await prompt(page).textContent()).toMatch(/秒后将清除本票已填写的内容并返回扫码页面。本票不会提交/);
    const seconds = Number(await page.locator('.kiosk-idle-seconds').getAttribute('data-seconds'));
    expect(seconds).toBeGreaterThan(0);
    expect(seconds).toBeLessThanOrEqual(30);
    const button = page.getByRole('button', { name: '继续投票' });
    const box = (await button.boundingBox())!;
    expect(box.height).toBeGreaterThanOrEqual(96);
    expect(box.width).toBeGreaterThanOrEqual(400);
    await page.screenshot({ path: `${SCREENSHOT_DIR}kiosk-idle-800.png` });
    expect(await seriousViolations(page)).toEqual([]);

    // 继续投票: the ballot as it was.
    await button.tap();
    await prompt(page).waitFor({ state: 'detached' });
    await ballotHeading(page).waitFor();
    for (const [subject, option] of [
      ['干部1', '优秀'],
      ['干部2', '不称职'],
      ['干部3', '称职'],
    ] as const)
      expect(await voter.choice(subject, '总体评价', option).isChecked()).toBe(true);
    expect(await page.getByRole('radio', { checked: true }).count()).toBe(3);
    expect(Object.keys((await voter.stored()).drafts[0].answers.cadre)).toHaveLength(3);

    // Asked again two minutes later; a tap anywhere (here on the dimmed ballot) answers, and ticks nothing behind.
    await page.clock.fastForward(125_000);
    await prompt(page).waitFor();
    await page.touchscreen.tap(400, 1200);
    await prompt(page).waitFor({ state: 'detached' });
    expect(await page.getByRole('radio', { checked: true }).count()).toBe(3);

    // Asked once more, and this time nobody answers: the countdown runs, then the scan screen.
    await page.clock.fastForward(125_000);
    await prompt(page).waitFor();
    await page.clock.fastForward(12_000);
    await expect.poll(async () => Number(await page.locator('.kiosk-idle-seconds').getAttribute('data-seconds'))).toBeLessThanOrEqual(19);
    expect(await ballotHeading(page).count()).toBe(1);
    await page.clock.fastForward(20_000);
    await scanHeading(page).waitFor();
    expect(await prompt(page).count()).toBe(0);
    expect(await page.getByRole('radio').count()).toBe(0);

    // Nothing of that ballot is left on the tablet, and nothing went to the outbox.
    await expect.poll(async () => (await traces(page)).indexedDb['ceping-voter']).toEqual({ drafts: [], outbox: [], receipts: [] });
    const after = await traces(page);
    expect(leaked(after, [token, submission])).toEqual([]);
    expect(after.sessionStorage).toEqual({});
    expect(Object.keys(after.localStorage).filter((k) => k !== 'ceping-lang')).toEqual([]);
    expect(after.history.href).toBe(`${env.server.url}/vote?kiosk`);
    expect(after.history.state).toBeNull();

    // The voter comes back: the same slip opens an empty ballot, and the server takes it.
    await typeSlip(page, token);
    await ballotHeading(page).waitFor();
    expect(await page.getByRole('radio', { checked: true }).count()).toBe(0);
    await voter.choice('干部1', '总体评价', '基本称职').check();
    await voter.next().click();
    await voter.choice('干部3', '是否存在违反政治纪律和政治规矩的问题', '否').check();
    await voter.next().click();
    await voter.submit().click();
    await voter.receipt().waitFor();
    await context.close();

    const { results, abstentions } = await closeAndCount(sitting);
    expect(abstentions).toBe(sitting.tokens.length - 1);
    expect(results.reconciliation.ballots).toBe(1 + abstentions);
    const [c1, , c3] = results.forms[0]!.subjects.map((s: { id: number }) => s.id) as [number, number, number];
    expect(countedByServer(results)).toEqual(expectedCounts([{ cadre: { [c1]: { overall: 'basically_competent' } }, political: { [c3]: { n_discipline: 'no' } } }]));
  }, 60_000);

  it('leaves a ballot queued for delivery alone when it erases the next voter’s idle ballot', async () => {
    const sitting = await openSittingWithSlips(env.server, { cadres: 3 });
    const [first, second] = sitting.tokens as [string, string];
    const { context, page } = await tablet();
    const voter = new VoterPage(page, env.server.url);
    // The server cannot take ballots for now (the page's and the worker's deliveries alike): they wait in the outbox.
    await context.route('**/api/voter/submit', (route) => route.fulfill({ status: 503, contentType: 'application/json', body: '{}' }));
    await typeSlip(page, first);
    await ballotHeading(page).waitFor();
    await voter.choice('干部1', '总体评价', '优秀').check();
    await voter.next().click();
    await voter.next().click();
    await voter.submit().click();
    await page.getByRole('heading', { name: '测评票已保存在本平板' }).waitFor();
    const outbox = async () => ((await traces(page)).indexedDb['ceping-voter']!.outbox as { submissionId: string; token: string }[]).map((q) => `${q.token} ${q.submissionId}`);
    const queued = await outbox();
    expect(queued).toHaveLength(1);
    await page.getByRole('button', { name: '下一位' }).click();

    // The next voter opens a ballot, ticks one choice and walks away.
    await typeSlip(page, second);
    await ballotHeading(page).waitFor();
    await voter.choice('干部2', '总体评价', '称职').check();
    await expect.poll(async () => (await voter.stored()).drafts.length).toBe(1);
    await page.clock.fastForward(125_000);
    await prompt(page).waitFor();
    await page.clock.fastForward(31_000);
    await scanHeading(page).waitFor();
    await expect.poll(async () => (await traces(page)).indexedDb['ceping-voter']?.drafts).toEqual([]);
    expect(await outbox()).toEqual(queued);
    expect(leaked(await traces(page), [second])).toEqual([]);

    // The server is back: the first ballot is delivered and counted; the second slip was never spent.
    await context.unroute('**/api/voter/submit');
    await page.reload();
    await scanHeading(page).waitFor();
    await expect.poll(async () => (await traces(page)).indexedDb['ceping-voter']?.outbox, { timeout: 20_000 }).toEqual([]);
    await context.close();
    const { results, abstentions } = await closeAndCount(sitting);
    expect(abstentions).toBe(sitting.tokens.length - 1);
    const [c1] = results.forms[0]!.subjects.map((s: { id: number }) => s.id) as [number];
    expect(countedByServer(results)).toEqual(expectedCounts([{ cadre: { [c1]: { overall: 'excellent' } } }]));
  }, 60_000);
});
