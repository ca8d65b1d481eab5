import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, type ApiResponse } from '../helpers/api-client';
import { SCREENSHOT_DIR } from '../helpers/browser';
import type { TestServer } from '../helpers/server';
import { openAdminConsole, saveScreenshot } from './helpers';

/**
 * Publishing through the console freezes the assessment; /results/<id> then shows the
 * published aggregates to anyone, without a login and without a name, on a phone too.
 * An unpublished assessment shows the server's "not published" message.
 */
let server: TestServer;
let browser: Browser;
let admin: ApiClient;
let page: Page;
let currentId: number;
let unpublishedId: number;
const cspErrors: string[] = [];

/** A fresh browser context: no session cookie, as a member of the public. */
async function publicPage(width: number): Promise<Page> {
  const p = await (await browser.newContext({ viewport: { width, height: 800 } })).newPage();
  p.on('console', (m) => m.type() === 'error' && /Content Security Policy/i.test(m.text()) && cspErrors.push(m.text()));
  return p;
}

beforeAll(async () => {
  ({ server, admin, browser, page } = await openAdminConsole());
  const loaded = await admin.call(admin.api.admin['demo-province'].$post());
  expect(loaded.status).toBe(201);
  currentId = loaded.body.currentId;
  const created = await admin.call(admin.api.admin.assessments.$post({ json: { name: '2020年度考核（未公布）', year: 2020 } }));
  expect(created.status).toBe(201);
  unpublishedId = created.body.id;
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('publishing and the public results page', () => {
  it('shows the not-published message before the grades are published', async () => {
    const p = await publicPage(1280);
    await p.goto(`${server.url}/results/${currentId}`);
    await p.waitForSelector('[data-testid=results-error]');
    expect(await p.textContent('[data-testid=results-error]')).toContain('考核结果尚未公布。');
    expect(await p.textContent('[data-testid=results-error]')).toContain('The results have not been published.');
    await p.context().close();
  });

  it('publishes the 2019 assessment after a confirmation that explains the freeze; the screens then refuse edits', async () => {
    await page.goto(`${server.url}/admin/assessments/${currentId}/report`);
    await page.waitForSelector('[data-testid=counts-team]');
    await page.click('[data-testid=publish]');
    expect(await page.textContent('dialog.confirm')).toContain('冻结');
    await page.click('dialog [data-testid=confirm]');
    await page.waitForSelector('[data-testid=published-badge]');
    expect(await page.textContent('[data-testid=frozen-note]')).toContain('已冻结');
    expect(await page.locator('[data-testid=publish]').count()).toBe(0);
    const published = await admin.call(admin.api.admin.assessments[':id'].$get({ param: { id: String(currentId) } }));
    expect(published.body.assessment.publishedRunId).not.toBeNull();

    await page.click('[data-testid=tab-grading]');
    await page.waitForSelector('[data-testid=grade-row]');
    expect(await page.locator('[data-testid=run-grading]').count()).toBe(0);
    expect(await page.locator('[data-testid=override]').count()).toBe(0);
    await page.click('[data-testid=tab-inputs]');
    await page.waitForSelector('[data-testid=inputs-row]');
    expect(await page.locator('[data-testid=inputs-edit]').count()).toBe(0);
    expect(await page.locator('input[name=inputsFile]').count()).toBe(0);
    // The server agrees.
    const refused: ApiResponse = await admin.call(admin.api.admin.assessments[':id'].grading.$post({ param: { id: String(currentId) }, json: {} }));
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('assessment_published');
  });

  it('shows the published aggregates to anyone, without a login and without a name, at 1280 and 360 px', async () => {
    const anyone = new ApiClient(server.url);
    const api = await anyone.call(anyone.api.public.assessments[':id'].results.$get({ param: { id: String(currentId) } }));
    expect(api.status).toBe(200);
    const subjects = (await admin.call(admin.api.admin.assessments[':id'].$get({ param: { id: String(currentId) } }))).body.subjects as { key: string; name: string }[];

    for (const width of [1280, 360]) {
      const p = await publicPage(width);
      await p.goto(`${server.url}/results/${currentId}`);
      await p.waitForSelector('[data-testid=group-provincial_cadres]');
      expect(await p.textContent('[data-testid=assessment-name]')).toBe(api.body.assessment.name);
      for (const g of api.body.groups as { id: string; total: number; counts: Record<string, number>; excellentShare: number; change: { excellentCount: number; excellentSharePoints: number } }[]) {
        expect(Number((await p.textContent(`[data-testid=total-${g.id}]`))!.replace(/,/g, ''))).toBe(g.total);
        for (const [grade, n] of Object.entries(g.counts)) expect(Number((await p.textContent(`[data-testid=count-${g.id}-${grade}]`))!.replace(/,/g, '')), `${g.id} ${grade}`).toBe(n);
        expect(await p.textContent(`[data-testid=share-${g.id}]`)).toBe(`${g.excellentShare.toFixed(2)}%`);
        expect(Number(await p.textContent(`[data-testid=change-count-${g.id}]`))).toBe(g.change.excellentCount);
        expect(Number(await p.textContent(`[data-testid=change-share-${g.id}]`))).toBe(g.change.excellentSharePoints);
      }
      // The seed's figures, read off the page.
      expect(await p.textContent('[data-testid=count-provincial_teams-excellent]')).toBe('57');
      expect(await p.textContent('[data-testid=total-provincial_cadres]')).toBe('1,847');
      expect(await p.textContent('[data-testid=change-count-provincial_teams]')).toBe('+11');
      expect(await p.textContent('[data-testid=change-share-provincial_teams]')).toBe('+4.61');
      expect(await p.textContent('[data-testid=change-share-provincial_cadres]')).toBe('+7.7');

      const body = (await p.textContent('body')) ?? '';
      const named = subjects.filter((s) => body.includes(s.name) || body.includes(s.key));
      expect(named).toEqual([]);
      // Nothing is wider than the phone.
      expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
      if (width === 1280) await saveScreenshot(p, 'public-results.png');
      else {
        mkdirSync(SCREENSHOT_DIR, { recursive: true });
        await p.screenshot({ path: join(SCREENSHOT_DIR, 'public-results-360.png'), fullPage: true });
      }
      await p.context().close();
    }
    expect(cspErrors).toEqual([]);
  });

  it('shows the server’s not-published message for an assessment that is not published', async () => {
    const p = await publicPage(360);
    await p.goto(`${server.url}/results/${unpublishedId}`);
    await p.waitForSelector('[data-testid=results-error]');
    expect(await p.textContent('[data-testid=results-error] .zh')).toBe('考核结果尚未公布。');
    expect(await p.locator('[data-testid^=group-]').count()).toBe(0);
    await p.goto(`${server.url}/results/999999`);
    await p.waitForSelector('[data-testid=results-error]');
    expect(await p.textContent('[data-testid=results-error] .zh')).toBe('考核不存在。');
    await p.context().close();
    expect(cspErrors).toEqual([]);
  });
});
