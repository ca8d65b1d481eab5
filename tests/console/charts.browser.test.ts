import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, byId, setUpSitting } from '../helpers/api-client';
import { launchBrowser } from '../helpers/browser';
import { startServer, type TestServer } from '../helpers/server';
import { logInInBrowser, saveScreenshot } from './helpers';

/**
 * Issue 13's charts in the console, on the demo province and a small closed sitting: each
 * chart's text alternative carries the numbers of the table beside it, a click on a grade bar
 * or a score bar filters the grading list, the results sort by 不称职率 and mark the vote
 * flags. Screenshots of the results (also 360 px wide), grading and report pages are saved.
 */
let server: TestServer;
let browser: Browser;
let page: Page;
let admin: ApiClient;
let sittingId: number;
let currentId: number;

const CADRE = ['excellent', 'competent', 'basically_competent', 'incompetent'] as const;
const TEAM = ['good', 'fairly_good', 'average', 'poor'] as const;
const numbers = (text: string | null): number[] => (text ?? '').match(/\d+/g)?.map(Number) ?? [];

/** How many of the 16 voters rate each cadre after the first 不称职 (the first: every other voter). */
const INCOMPETENT = [0, 1, 2, 3, 4, 2];

/**
 * A phone's ballot whose overall ratings depend on the voter and the subject: the first
 * cadre is rated 不称职 by every other voter (a vote flag), the others by a few (no flag).
 */
async function vote(token: string, i: number): Promise<void> {
  const voter = new ApiClient(server.url, null);
  const ballot = await voter.call(voter.api.voter.ballot.$post({ json: { token } }));
  expect(ballot.status).toBe(200);
  const answers = Object.fromEntries(
    ballot.body.forms.map((form) => [
      form.id,
      Object.fromEntries(
        form.subjects.map((s, j) => {
          const cadre = j === 0 ? (i % 2 === 0 ? 'incompetent' : 'competent') : i < INCOMPETENT[j]! ? 'incompetent' : CADRE[i % 2]!;
          const value = form.kind === 'team' ? TEAM[(i + 2 * j) % 4]! : cadre;
          return [String(s.id), Object.fromEntries(form.questions.filter((q) => q.role === 'overall').map((q) => [q.id, value]))];
        }),
      ),
    ]),
  );
  const res = await voter.call(voter.api.voter.submit.$post({ json: { token, submissionId: randomUUID(), answers } }));
  expect(res.status).toBe(201);
}

beforeAll(async () => {
  server = await startServer({ withClient: true });
  admin = await new ApiClient(server.url).login();
  // The demo province (two graded years, 2018 published), as the home page's button loads it.
  const demo = await admin.call(admin.api.admin['demo-province'].$post());
  expect(demo.status).toBe(201);
  currentId = demo.body.currentId;
  ({ sittingId } = await setUpSitting(admin, { teams: 3, cadres: 6, forms: ['team', 'cadre'], voterGroups: [{ name: '上级', weight: 40 }, { name: '同级', weight: 40 }, { name: '下级', weight: 20 }] }));
  expect((await admin.call(admin.api.admin.sittings[':id'].open.$post(byId(sittingId)))).status).toBe(200);
  let i = 0;
  // 下级 casts 2 ballots, fewer than k = 5: its breakdown is withheld, and no bar may show it.
  for (const [group, count] of [['上级', 8], ['同级', 6], ['下级', 2]] as const) {
    const { tokens } = (await admin.call(admin.api.admin.sittings[':id'].tokens.$post({ ...byId(sittingId), json: { voterGroup: group, count } }))).body;
    for (const token of tokens) await vote(token, i++);
  }
  expect((await admin.call(admin.api.admin.sittings[':id'].close.$post(byId(sittingId)))).status).toBe(200);
  browser = await launchBrowser();
  page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  // Every refusal of the console's CSP (style-src 'self': no style attribute may take effect), kept for the last test.
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { cspViolations: string[] }).cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.violatedDirective} ${e.sample}`));
  });
  await logInInBrowser(page, server.url);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('sitting results bars', () => {
  it("draws every subject's ratings as a bar whose text alternative carries the counts of its row", async () => {
    await page.goto(`${server.url}/admin/sittings/${sittingId}/results`);
    await page.waitForSelector('[data-testid=results-cadre] [data-testid=rating-bar]');
    for (const form of ['team', 'cadre'] as const) {
      const rows = page.locator(`[data-testid=results-${form}] [data-testid=result-row]`);
      expect(await rows.count()).toBe(form === 'team' ? 3 : 6);
      for (const row of await rows.all()) {
        const options = form === 'team' ? TEAM : CADRE;
        const cells = await Promise.all(options.map(async (o) => Number(await row.locator(`td[data-option=${o}]`).textContent())));
        const label = await row.locator('[data-testid=rating-bar]').getAttribute('aria-label');
        expect(numbers(label!.split('：')[1]!)).toEqual(cells);
        expect(cells.reduce((a, b) => a + b, 0)).toBe(16);
      }
    }
    // The group below k: no column, no bar, no label names it; its ballots count only in the overall bars.
    for (const form of ['team', 'cadre']) {
      expect(await page.locator(`[data-testid=results-${form}] thead`).textContent()).not.toContain('下级');
      const labels = await page.locator(`[data-testid=results-${form}] [data-testid=rating-bar]`).evaluateAll((els) => els.map((el) => el.getAttribute('aria-label') ?? ''));
      expect(labels.some((l) => l.includes('下级'))).toBe(false);
    }
    expect(await page.locator('[data-testid=legend-cadre]').textContent()).toContain('不称职');
    await saveScreenshot(page, 'charts-results.png');
  });

  it('marks the subject rated 不称职 by half the voters, and shows only it when filtered to flagged subjects', async () => {
    const flagged = page.locator('[data-testid=results-cadre] tr.flagged');
    expect(await flagged.count()).toBe(1);
    expect(await flagged.locator('[data-testid=subject-name]').textContent()).toBe('干部1');
    expect(await flagged.locator('[data-testid=vote-flags]').textContent()).toContain('不称职率50%');
    await page.check('[data-testid=results-flagged-only]');
    expect(await page.locator('[data-testid=results-cadre] [data-testid=subject-name]').allTextContents()).toEqual(['干部1']);
    await page.uncheck('[data-testid=results-flagged-only]');
    await page.fill('[data-testid=results-filter]', '干部3');
    expect(await page.locator('[data-testid=results-cadre] [data-testid=subject-name]').allTextContents()).toEqual(['干部3']);
    await page.fill('[data-testid=results-filter]', '');
  });

  it('orders the rows by 不称职率, highest first, and by test score', async () => {
    const rates = async () => (await page.locator('[data-testid=results-cadre] [data-testid=incompetent-rate]').allTextContents()).map((x) => Number.parseFloat(x));
    const before = await rates();
    await page.selectOption('[data-testid=results-sort]', 'incompetent');
    const sorted = await rates();
    expect(sorted).toEqual([...before].sort((a, b) => b - a));
    expect(sorted).not.toEqual(before);
    await page.selectOption('[data-testid=results-sort]', 'score');
    const scores = (await page.locator('[data-testid=results-cadre] [data-testid=test-score]').allTextContents()).map(Number);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    await page.selectOption('[data-testid=results-sort]', 'list');
  });

  it('fits a 360 px phone', async () => {
    const phone = await (await browser.newContext({ viewport: { width: 360, height: 740 }, storageState: await page.context().storageState() })).newPage();
    await phone.goto(`${server.url}/admin/sittings/${sittingId}/results`);
    await phone.waitForSelector('[data-testid=results-cadre] [data-testid=rating-bar]');
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await saveScreenshot(phone, 'charts-results-360.png');
    await phone.context().close();
  });
});

describe('grading charts', () => {
  it("draws a pool's composites with the band edges and its quota line, and a click on a bar lists that bar's subjects", async () => {
    await page.goto(`${server.url}/admin/assessments/${currentId}/grading`);
    await page.waitForSelector('[data-testid=composite-histogram]');
    const pool = await page.locator('[data-testid=chart-pool] option').nth(1).getAttribute('value');
    await page.selectOption('[data-testid=chart-pool]', pool!);
    await page.waitForSelector('[data-testid=composite-histogram] .marker.quota');
    // The band edges inside the pool's range (from its lowest composite's ten up to 100), and the quota line.
    const bands = await page.locator('[data-testid=composite-histogram] .marker.band text').allTextContents();
    expect(bands.slice(0, 2)).toEqual(['90', '75']);
    expect(await page.locator('[data-testid=composite-histogram] .marker.quota text').textContent()).toMatch(/^名额线 \d+\.\d\d（\d+ 名）$/);
    const shown = async () => numbers(await page.textContent('[data-testid=shown-count]'));
    const poolSize = (await shown())[1];
    const bins = page.locator('[data-testid=histogram-bin]');
    const counts = (await bins.evaluateAll((els) => els.map((el) => Number(el.getAttribute('data-count')))));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(poolSize);
    const fullest = counts.indexOf(Math.max(...counts));
    expect(numbers(await bins.nth(fullest).getAttribute('aria-label')).at(-1)).toBe(counts[fullest]);
    await bins.nth(fullest).click();
    expect((await shown())[1]).toBe(counts[fullest]);
    await saveScreenshot(page, 'charts-grading-pool.png');
    await bins.nth(fullest).click();
    expect((await shown())[1]).toBe(poolSize);
    await page.selectOption('[data-testid=chart-pool]', '');
  });

  it('shows the grades per category beside 2018, and a click on a grade bar filters the list to it', async () => {
    const chart = page.locator('[data-testid=grade-chart-team-city]');
    await chart.waitFor();
    const bar = chart.locator('[data-testid=grade-bar][data-key=excellent]');
    const label = (await bar.getAttribute('aria-label'))!;
    expect(label).toMatch(/2019年 \d+ 个，2018年 \d+ 个/);
    const count = Number(await bar.getAttribute('data-count'));
    expect(count).toBeGreaterThan(0);
    await bar.click();
    expect(await bar.getAttribute('aria-pressed')).toBe('true');
    expect(numbers(await page.textContent('[data-testid=shown-count]'))[1]).toBe(count);
    const finals = await page.locator('[data-testid=grade-row] [data-testid=final]').allTextContents();
    expect(new Set(finals.map((f) => f.trim()))).toEqual(new Set(['优秀']));
    expect(await page.inputValue('[data-testid=filter-category]')).toBe('city');
    await saveScreenshot(page, 'charts-grading.png');
  });
});

describe('report chart', () => {
  it('draws the §7 counts beside the table with the same numbers, this year against 2018', async () => {
    await page.goto(`${server.url}/admin/assessments/${currentId}/report`);
    // The 2018 bars come from 2018's own published run, read after the report.
    await page.waitForSelector('[data-testid=report-chart-provincial_teams][aria-label*="2018年"]');
    const label = (await page.getAttribute('[data-testid=report-chart-provincial_teams]', 'aria-label'))!;
    // 省管领导班子（220）: 优秀 2019年 57，2018年 n; 良好 …; 一般 …; 较差 …
    const chart = [...label.matchAll(/(\S+) 2019年 (\d+)，2018年 (\d+)/g)].map((m) => ({ grade: m[1], now: Number(m[2]), then: Number(m[3]) }));
    expect(label).toContain('220');
    expect(chart.map((c) => c.now)).toEqual([57, 159, 4, 0]);
    for (const grade of ['excellent', 'good', 'average', 'poor']) {
      expect(Number(await page.textContent(`[data-testid=count-provincial_teams-${grade}]`))).toBe(chart[['excellent', 'good', 'average', 'poor'].indexOf(grade)]!.now);
    }
    // The outlined 2018 bars agree with the table's change column: 优秀 now minus 优秀 then.
    const change = Number(await page.textContent('[data-testid=change-count-provincial_teams]'));
    expect(chart[0]!.now - chart[0]!.then).toBe(change);
    expect(chart.reduce((n, c) => n + c.then, 0)).toBeGreaterThan(0);
    const cadres = (await page.getAttribute('[data-testid=report-chart-provincial_cadres]', 'aria-label'))!;
    expect([...cadres.matchAll(/2019年 (\d+)/g)].map((m) => Number(m[1]))).toEqual([416, 1388, 3, 2, 38]);
    await saveScreenshot(page, 'charts-report.png');
  });
});

describe('charts under the CSP', () => {
  it('draw with SVG attributes and classes only: no style attribute, nothing the CSP refused', async () => {
    for (const path of [`/admin/sittings/${sittingId}/results`, `/admin/assessments/${currentId}/grading`, `/admin/assessments/${currentId}/report`]) {
      await page.goto(`${server.url}${path}`);
      await page.waitForSelector('svg.rating-bar, svg.chart');
      expect(await page.locator('svg').count()).toBeGreaterThan(0);
      expect(await page.locator('main [style]').count()).toBe(0);
      expect(await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations)).toEqual([]);
    }
  });
});
