import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient, ApiResponse } from '../helpers/api-client';
import { SCREENSHOT_DIR } from '../helpers/browser';
import type { TestServer } from '../helpers/server';
import { openAdminConsole, saveScreenshot } from './helpers';

/**
 * The grading screens of the console (GRADING.md): the demo province loaded from the home
 * page, the 2019 report with the seed's counts and year change, an override refused without
 * a reason and recorded with one, inputs entered and imported, and the policy form.
 */
let server: TestServer;
let browser: Browser;
let page: Page;
let admin: ApiClient;
let currentId: number;
let previousId: number;

const text = async (selector: string): Promise<string> => ((await page.textContent(selector)) ?? '').trim();
const number = async (selector: string): Promise<number> => Number((await text(selector)).replace(/,/g, ''));
/** The current assessment's API (GRADING.md). */
const assessment = () => admin.api.admin.assessments[':id'];
const param = () => ({ param: { id: String(currentId) } });
const currentRun = async () => (await admin.call(assessment().grading.$get(param()))).body;
const inputs = async () => (await admin.call(assessment().inputs.$get(param()))).body.inputs;

beforeAll(async () => {
  ({ server, admin, browser, page } = await openAdminConsole());
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('grading in the console', () => {
  it('loads the demo province from the home page, showing progress, then lists the two new assessments', async () => {
    await page.goto(`${server.url}/admin`);
    await page.click('[data-testid=demo-province]');
    expect(await page.textContent('dialog.confirm')).toContain('1,847');
    // The test server runs in this process and loads synchronously, so Playwright cannot look
    // while it works: the page records what it showed meanwhile.
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { seenProgress: string[] }).seenProgress = seen;
      new MutationObserver(() => {
        const text = document.querySelector('[data-testid=demo-progress]')?.textContent;
        if (text) seen.push(text);
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    await page.click('dialog [data-testid=confirm]');
    await page.waitForSelector('[data-testid=demo-loaded]', { timeout: 60_000 });
    const seen = await page.evaluate(() => (window as unknown as { seenProgress: string[] }).seenProgress);
    expect(seen[0]).toContain('正在生成并评定两个年度的考核');
    expect(await page.locator('[data-testid=demo-progress]').count()).toBe(0);

    const listed = (await admin.call(admin.api.admin.assessments.$get())).body.assessments as { id: number; name: string; year: number }[];
    const current = listed.find((a) => a.year === 2019)!;
    const previous = listed.find((a) => a.year === 2018)!;
    ({ id: currentId } = current);
    ({ id: previousId } = previous);
    const cards = await page.locator('ul.cards li').allTextContents();
    expect(cards.some((c) => c.includes(current.name) && c.includes('2019'))).toBe(true);
    expect(cards.some((c) => c.includes(previous.name) && c.includes('2018'))).toBe(true);
    expect(await page.getAttribute('[data-testid=demo-current]', 'href')).toBe(`/admin/assessments/${currentId}/report`);
  });

  it('shows the 2019 report as the seed reports it: counts per grade per category and the change on 2018', async () => {
    await page.click('[data-testid=demo-current]');
    await page.waitForSelector('[data-testid=counts-cadre]');
    const expected: Record<string, Record<string, number>> = {
      provincial_teams: { excellent: 57, good: 159, average: 4 },
      provincial_cadres: { excellent: 416, competent: 1388, basically_competent: 3, incompetent: 2, undetermined: 38 },
    };
    expect(await number('[data-testid=total-provincial_teams]')).toBe(220);
    expect(await text('[data-testid=total-provincial_cadres]')).toBe('1,847');
    for (const [group, counts] of Object.entries(expected)) {
      for (const [grade, n] of Object.entries(counts)) expect(await number(`[data-testid=count-${group}-${grade}]`), `${group} ${grade}`).toBe(n);
    }
    expect(await text('[data-testid=change-count-provincial_teams]')).toBe('+11');
    expect(await text('[data-testid=change-share-provincial_teams]')).toBe('+4.61');
    expect(await text('[data-testid=change-count-provincial_cadres]')).toBe('+157');
    expect(await text('[data-testid=change-share-provincial_cadres]')).toBe('+7.7');

    // Every figure on the page is the API's.
    const report = await admin.call(assessment().report.$get(param()));
    expect(report.status).toBe(200);
    for (const g of report.body.groups as { group: { id: string }; total: number; counts: Record<string, number>; change: { excellentCount: number; excellentSharePoints: number } }[]) {
      expect(await number(`[data-testid=total-${g.group.id}]`)).toBe(g.total);
      for (const [grade, n] of Object.entries(g.counts)) expect(await number(`[data-testid=count-${g.group.id}-${grade}]`), `${g.group.id} ${grade}`).toBe(n);
      expect(await number(`[data-testid=change-count-${g.group.id}]`)).toBe(g.change.excellentCount);
      expect(await number(`[data-testid=change-share-${g.group.id}]`)).toBe(g.change.excellentSharePoints);
    }
    expect(await page.getAttribute('[data-testid=report-csv]', 'href')).toBe(`/api/admin/assessments/${currentId}/report.csv`);
    const [xlsx] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=report-xlsx]')]);
    expect(xlsx.suggestedFilename()).toBe('grading-2019.xlsx');
    await saveScreenshot(page, 'grading-report.png');
  });

  it('lists 2,067 subjects a page at a time, with reasons, vote flags, actions and filters', async () => {
    const started = Date.now();
    await page.click('[data-testid=tab-grading]');
    await page.waitForSelector('[data-testid=grade-row]');
    const elapsed = Date.now() - started;
    console.log(`grading list of 2,067 subjects shown in ${elapsed} ms`);
    expect(await text('[data-testid=shown-count]')).toContain('2067');
    expect(await page.locator('[data-testid=grade-row]').count()).toBe(50);
    expect(await page.locator('[data-testid=flagged-evaluators] tbody tr').count()).toBeGreaterThan(0);
    // The top of the list as a person sees it (the full page is 50 tall rows).
    await page.setViewportSize({ width: 1280, height: 1300 });
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'grading-list.png') });
    await page.setViewportSize({ width: 1280, height: 900 });

    await page.selectOption('[data-testid=filter-kind]', 'cadre');
    await page.selectOption('[data-testid=filter-grade]', 'undetermined');
    expect(await text('[data-testid=shown-count]')).toContain('显示 38 个');
    await page.selectOption('[data-testid=filter-grade]', '');
    await page.selectOption('[data-testid=filter-only]', 'flagged');
    const flagged = (await currentRun()).result.subjects.filter((s: { kind: string; voteFlags: unknown[] }) => s.kind === 'cadre' && s.voteFlags.length > 0);
    expect(await text('[data-testid=shown-count]')).toContain(`显示 ${flagged.length} 个`);
    expect(await page.textContent('[data-testid=grades] tbody')).toContain(flagged[0]!.voteFlags[0]!.zh);
    await page.selectOption('[data-testid=filter-only]', '');
    await page.selectOption('[data-testid=filter-kind]', '');
  });

  it('refuses an override without a reason, then records one beside the proposal in the list, the report and the audit log', async () => {
    const run = await currentRun();
    const subject = run.result.subjects.find((s) => s.kind === 'cadre' && s.role === 'principal' && s.proposedGrade === 'competent')!;
    await page.fill('[data-testid=search]', subject.key);
    const row = page.locator(`[data-testid=grade-row][data-key="${subject.key}"]`);
    await row.waitFor();
    expect(await page.locator('[data-testid=grade-row]').count()).toBe(1);
    expect(await row.locator('[data-testid=proposed]').textContent()).toBe('称职');
    expect(await row.textContent()).toContain(subject.reasons[0]!.zh);

    await row.locator('[data-testid=override]').click();
    await page.selectOption('[data-testid=override-grade]', 'excellent');
    await page.click('[data-testid=override-submit]');
    const refusal = page.locator('[data-testid=override-dialog] [role=alert]');
    await refusal.waitFor();
    expect(await refusal.textContent()).toBe('调整等次必须填写理由。');
    await saveScreenshot(page, 'grading-override.png');
    const unchanged = (await currentRun()).result.subjects.find((s: { key: string }) => s.key === subject.key)!;
    expect(unchanged.override).toBeUndefined();
    expect(unchanged.finalGrade).toBe('competent');
    // The server refuses it as well, with the message the dialog shows.
    const refused: ApiResponse = await admin.call(assessment().grading.overrides.$post({ ...param(), json: { subjectKey: subject.key, grade: 'excellent', reason: '  ' } }));
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({ code: 'override_reason_required', message: '调整等次必须填写理由。' });

    const reason = '省委常委会研究决定：疫情防控中表现突出';
    await page.fill('[data-testid=override-reason]', reason);
    await page.click('[data-testid=override-submit]');
    await page.waitForSelector('[data-testid=override-dialog]', { state: 'detached' });
    expect(await row.locator('[data-testid=final] .grade').textContent()).toBe('优秀');
    expect(await row.locator('[data-testid=proposed]').textContent()).toBe('称职');
    expect(await row.locator('[data-testid=adjusted]').textContent()).toBe('已调整');
    expect(await row.locator('[data-testid=override-text]').textContent()).toBe(reason);
    await saveScreenshot(page, 'grading-adjusted.png');
    const saved = (await currentRun()).result.subjects.find((s: { key: string }) => s.key === subject.key);
    expect(saved).toMatchObject({ proposedGrade: 'competent', finalGrade: 'excellent', override: { grade: 'excellent', reason } });

    // The report: the row, and the count with the proposal beside it.
    await page.click('[data-testid=tab-report]');
    await page.waitForSelector('[data-testid=report-rows]');
    await page.fill('[data-testid=report-search]', subject.key);
    const reportRow = page.locator(`[data-testid=report-row][data-key="${subject.key}"]`);
    await reportRow.waitFor();
    expect(await reportRow.locator('[data-testid=final]').textContent()).toContain('优秀');
    expect(await reportRow.locator('[data-testid=final]').textContent()).toContain('已调整');
    expect(await reportRow.locator('[data-testid=proposed]').textContent()).toBe('称职');
    expect(await reportRow.locator('[data-testid=override-text]').textContent()).toBe(reason);
    expect(await number('[data-testid=count-provincial_cadres-excellent]')).toBe(417);
    expect(await text('[data-testid=proposed-provincial_cadres-excellent]')).toBe('拟定 416');

    // The audit log lists it.
    await page.goto(`${server.url}/admin/audit`);
    await page.waitForSelector('table.audit');
    const entry = page.locator('table.audit tbody tr', { hasText: 'grading.override' });
    expect(await entry.count()).toBe(1);
    expect(await entry.textContent()).toContain(subject.key);
    expect(await entry.textContent()).toContain(reason);
  });

  it('shows reasons in English on the English switch', async () => {
    await page.goto(`${server.url}/admin/assessments/${currentId}/grading`);
    await page.waitForSelector('[data-testid=grade-row]');
    const first = (await currentRun()).result.subjects[0]!;
    await page.click('[data-testid=lang]');
    const row = page.locator(`[data-testid=grade-row][data-key="${first.key}"]`);
    expect(await row.textContent()).toContain(first.reasons[0]!.en);
    expect(await page.textContent('[data-testid=tab-report]')).toBe('Report');
    await page.click('[data-testid=lang]');
    expect(await row.textContent()).toContain(first.reasons[0]!.zh);
  });

  it('checks an inputs file row by row, saves nothing while a row is bad, then imports it and edits one subject', async () => {
    const key = (await inputs())[0]!.key as string;
    const before = await inputs();
    await page.goto(`${server.url}/admin/assessments/${currentId}/inputs`);
    await page.waitForSelector('[data-testid=inputs-row]');
    expect(await page.locator('[data-testid=inputs-row]').count()).toBe(50);

    const bad = `编号,平时考核,工作实绩,任职月数,诫勉\nnobody,90,80,6,否\n${key},abc,80,13,否\n`;
    await page.setInputFiles('input[name=inputsFile]', { name: '考核数据.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
    const problems = page.locator('[data-testid=inputs-problems] tbody tr');
    await problems.first().waitFor();
    expect(await problems.evaluateAll((trs) => trs.map((tr) => Array.from(tr.querySelectorAll('td'), (td) => td.textContent).join(' | ')))).toEqual([
      '2 | 编号 | 编号「nobody」不在本考核的考核对象名单中。',
      '3 | 平时考核 | 「abc」不是数字。',
      '3 | 任职月数 | 「13」超出范围（得分 0-100，比率 0-1 或 0%-100%，月数 0-12）。',
    ]);
    expect(await page.locator('[data-testid=inputs-save]').count()).toBe(0);
    await saveScreenshot(page, 'inputs-problems.png');
    expect(await inputs()).toEqual(before);

    await page.setInputFiles('input[name=inputsFile]', { name: '考核数据.csv', mimeType: 'text/csv', buffer: Buffer.from(`编号,平时考核,工作实绩,任职月数,诫勉\n${key},88;89;90;91,85,12,否\n`) });
    await page.click('[data-testid=inputs-save]');
    await page.waitForSelector('[data-testid=inputs-notice]');
    let row = (await inputs()).find((r: { key: string }) => r.key === key);
    expect(row).toMatchObject({ key, routine: [88, 89, 90, 91], performance: 85, facts: { monthsInPost: 12, admonished: false } });

    await page.fill('[data-testid=inputs-search]', key);
    await page.locator(`[data-testid=inputs-row][data-key="${key}"] [data-testid=inputs-edit]`).click();
    const form = page.locator('[data-testid=inputs-form]');
    await form.locator('input[name=superior]').fill('87.5');
    await form.locator('input[name=admonished]').check();
    await form.locator('input[name=leaveMonths]').fill('2');
    await form.locator('input[name=routine]').fill('88, 89, 90, 91');
    await form.locator('[data-testid=inputs-form-save]').click();
    await page.waitForSelector('[data-testid=inputs-form]', { state: 'detached' });
    row = (await inputs()).find((r: { key: string }) => r.key === key);
    expect(row).toMatchObject({ key, routine: [88, 89, 90, 91], performance: 85, superior: 87.5, facts: { monthsInPost: 12, admonished: true, leaveMonths: 2 } });
    // The table reloads after the save: wait for the row to show the new fact.
    await expect.poll(() => page.textContent(`[data-testid=inputs-row][data-key="${key}"]`)).toContain('诫勉');
  });

  it('edits the grading policy, shows the server’s errors beside the fields, and saves a new version', async () => {
    await page.click('a[href="/admin/policy"]');
    await page.waitForSelector('[data-testid=policy-form]');
    expect(await text('[data-testid=policy-version]')).toContain('第 1 版');
    await page.fill('input[name="bands.excellent"]', '70');
    await page.fill('input[name="quota.defaultShare"]', '30');
    await page.click('[data-testid=policy-save]');
    await page.waitForSelector('[data-testid="error-bands"]');
    expect(await text('[data-testid="error-bands"]')).toContain('优秀线 > 称职（良好）线');
    expect(await text('[data-testid="error-quota.defaultShare"]')).toContain('25%');
    expect(await page.textContent('form.policy > .error')).toContain('评定办法');
    await saveScreenshot(page, 'policy.png');
    expect((await admin.call(admin.api.admin.grading.policy.$get())).body.policy.version).toBe(1);

    await page.fill('input[name="bands.excellent"]', '90');
    await page.fill('input[name="quota.defaultShare"]', '22');
    await page.click('[data-testid=policy-save]');
    await page.waitForSelector('[data-testid=policy-saved]');
    expect(await text('[data-testid=policy-saved]')).toContain('第 2 版');
    expect(await page.locator('.field-error').count()).toBe(0);
    const policy = (await admin.call(admin.api.admin.grading.policy.$get())).body.policy;
    expect(policy).toMatchObject({ version: 2, bands: { excellent: 90, middle: 75, low: 60 }, quota: { defaultShare: 0.22 } });
    // Untouched percentages keep their exact rates.
    expect(policy.voteFlags.incompetentRateAbove).toBe(1 / 3);
    expect(previousId).toBeGreaterThan(0);
  });
});
