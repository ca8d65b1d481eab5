import { mkdirSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, SCREENSHOT_DIR } from '../helpers/browser';
import { startServer, type TestServer } from '../helpers/server';
import { closeAndCount, countedByServer, expectedCounts, openSittingWithSlips, phoneContext, seriousViolations, VoterPage, type OpenSitting, type Ratings } from './voter-page';

const CADRE = ['excellent', 'competent', 'basically_competent', 'incompetent'];
const TEAM_GRADES = ['good', 'fairly_good', 'average', 'poor'];

/** A plausible ballot for 100 cadres: a quarter 优秀 (under the 30% cap), some left blank, some 是. */
function ballotFor(subjectIds: number[]): Ratings {
  const cadre: Ratings[string] = {};
  const political: Ratings[string] = {};
  subjectIds.forEach((id, i) => {
    if (i % 17 !== 5) cadre[id] = { overall: CADRE[i % 4]! };
    political[id] = {
      loyalty: TEAM_GRADES[i % 4]!,
      steadfastness: TEAM_GRADES[(i + 1) % 4]!,
      responsibility: TEAM_GRADES[(i + 2) % 4]!,
      n_duplicity: i % 9 === 0 ? 'yes' : 'no',
      n_discipline: i % 11 === 0 ? 'yes' : 'no',
    };
  });
  return { cadre, political };
}

describe('a voter on a phone rates 100 cadres and submits', () => {
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let sitting: OpenSitting;

  beforeAll(async () => {
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    server = await startServer({ withClient: true });
    sitting = await openSittingWithSlips(server, { cadres: 100, forms: [{ kind: 'cadre', maxTopShare: 0.3 }, 'political'] });
    browser = await launchBrowser();
    context = await phoneContext(browser);
    page = await context.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('counts exactly the ballot the voter submitted, and keeps only the receipt on the phone', async () => {
    const voter = new VoterPage(page, server.url);
    const token = sitting.tokens[0]!;
    await voter.open(token);
    await expect.poll(() => page.getByRole('heading', { name: '领导干部测评' }).isVisible()).toBe(true);
    // The slip's token leaves the visible URL at once.
    expect(page.url()).toBe(`${server.url}/vote`);
    await expect.poll(() => voter.status.textContent()).toBe('已保存在本机');

    const definition = (await voter.stored()).drafts[0].definition;
    const ids: number[] = definition.forms[0].subjects.map((s: { id: number }) => s.id);
    expect(ids).toHaveLength(100);
    const ballot = ballotFor(ids);

    // The first three subjects with real taps, by their screen-reader names.
    await voter.choice('干部1', '总体评价', '优秀').check();
    await voter.choice('干部2', '总体评价', '称职').check();
    await voter.choice('干部3', '总体评价', '基本称职').check();
    await expect.poll(() => page.locator('.rated').textContent()).toBe('已评 3/100');
    await expect.poll(() => page.locator('.progress .top').textContent()).toBe('优秀 1/30');
    await page.evaluate(() => scrollTo({ top: 0 }));
    await page.screenshot({ path: `${SCREENSHOT_DIR}voter-ballot-360.png` });

    await voter.tapAll('cadre', ballot.cadre!);
    await expect.poll(() => page.locator('.rated').textContent()).toBe(`已评 ${Object.keys(ballot.cadre!).length}/100`);
    await expect.poll(() => page.locator('.progress .top').textContent()).toBe(`优秀 ${Object.values(ballot.cadre!).filter((a) => a.overall === 'excellent').length}/30`);
    // "Next unrated" jumps to the first abstention (干部6) and focuses its choice.
    await page.getByRole('button', { name: '下一个未评' }).click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('干部6，总体评价：优秀');

    // A slow phone (CPU 4x slower): how long the 500-question form takes to mount, and a tap to show.
    const cdp = await context.newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
    const [firstPaint, mounted] = await page.evaluate(async () => {
      const t0 = performance.now();
      const next = Array.from(document.querySelectorAll<HTMLButtonElement>('nav.pager button')).find((b) => b.textContent === '下一步')!;
      next.click();
      const frame = () => new Promise((done) => requestAnimationFrame(done));
      while (!document.querySelector('input[name$=".loyalty"]')) await frame();
      await frame();
      const first = Math.round(performance.now() - t0);
      while (!document.querySelector('.cards[data-complete="true"] input[name$=".loyalty"]')) await frame();
      return [first, Math.round(performance.now() - t0)];
    });
    const tap = await page.evaluate(async () => {
      const t0 = performance.now();
      document.querySelector<HTMLInputElement>('input[name$=".loyalty"][value="average"]')!.click();
      await new Promise((done) => requestAnimationFrame(() => setTimeout(done)));
      return Math.round(performance.now() - t0);
    });
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
    console.log(`political form at 4x CPU slowdown: first cards ${firstPaint} ms, all 100 cards mounted ${mounted} ms, a tap to next frame ${tap} ms`);
    await voter.choice('干部1', '政治忠诚', '好').check();
    await voter.choice('干部1', '是否存在对党不忠诚不老实、阳奉阴违的问题', '是').check();
    await voter.tapAll('political', ballot.political!);
    await expect.poll(() => page.locator('.rated').textContent()).toBe('已评 100/100');
    await page.evaluate(() => scrollTo({ top: 0 }));
    await page.screenshot({ path: `${SCREENSHOT_DIR}voter-political-360.png` });
    expect(await seriousViolations(page)).toEqual([]);

    await voter.next().click();
    await expect.poll(() => page.getByRole('heading', { name: '核对测评票' }).isVisible()).toBe(true);
    await expect.poll(() => page.getByText('6 位未评价，将按弃权处理。').isVisible()).toBe(true);
    await page.screenshot({ path: `${SCREENSHOT_DIR}voter-review-360.png`, fullPage: true });
    expect(await seriousViolations(page)).toEqual([]);

    // The draft on the phone holds exactly these answers before submission.
    expect((await voter.stored()).drafts[0].answers).toEqual(ballot);

    await voter.submit().click();
    await voter.receipt().waitFor();
    const receipt = await voter.receipt().getAttribute('data-receipt');
    expect(receipt).toMatch(/^[A-Z2-7]{10}$/);
    await expect.poll(() => voter.status.textContent()).toBe('已提交');
    await page.screenshot({ path: `${SCREENSHOT_DIR}voter-receipt-360.png` });
    expect(await seriousViolations(page)).toEqual([]);

    // Nothing about the ballot stays on the phone: no draft, no outbox, only the receipt.
    const stored = await voter.stored();
    expect(stored.drafts).toEqual([]);
    expect(stored.outbox).toBe(0);
    expect(stored.receipts).toEqual([{ receipt, sittingId: sitting.sittingId, sittingTitle: '测试场次' }]);

    const { results, abstentions } = await closeAndCount(sitting);
    expect(results.reconciliation.ballots).toBe(1 + abstentions);
    expect(countedByServer(results)).toEqual(expectedCounts([ballot]));

    // The receipt is on the published board, and the phone can check it.
    await page.getByRole('button', { name: '核对我的回执' }).click();
    await expect.poll(() => page.locator('[data-check]').getAttribute('data-check')).toBe('found');
    await page.screenshot({ path: `${SCREENSHOT_DIR}voter-receipt-check-360.png` });
  });
});
