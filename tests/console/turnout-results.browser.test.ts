import ExcelJS from 'exceljs';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, setUpSitting } from '../helpers/api-client';
import { launchBrowser } from '../helpers/browser';
import { startServer, type TestServer } from '../helpers/server';
import { logInInBrowser, saveScreenshot } from './helpers';

/**
 * Acceptance 2, 3 and 6: the projector view shows a scripted ballot within a second (SSE);
 * the admin closes the sitting, reads the results and exports an XLSX whose counts equal the
 * API's; screenshots of both pages are saved for people to look at.
 */
let server: TestServer;
let browser: Browser;
let page: Page;
let admin: ApiClient;
let sittingId: number;
const slips: Record<string, string[]> = {};
const CADRE_GRADES = ['excellent', 'competent', 'basically_competent', 'incompetent'];
const TEAM_GRADES = ['good', 'fairly_good', 'average', 'poor'];

async function vote(token: string, i: number): Promise<number> {
  const teams = Object.fromEntries([1, 2, 3].map((id) => [String(id), { overall: TEAM_GRADES[(i + id) % 3]! }]));
  const cadres = Object.fromEntries([4, 5, 6, 7, 8, 9, 10, 11].map((id) => [String(id), { overall: CADRE_GRADES[(i * id) % 4 === 0 ? 0 : 1 + ((i + id) % 3)]! }]));
  const phone = new ApiClient(server.url, null);
  const res = await phone.call(phone.api.voter.submit.$post({ json: { token, submissionId: randomUUID(), answers: { team: teams, cadre: cadres } } }));
  return res.status;
}

beforeAll(async () => {
  server = await startServer({ withClient: true });
  admin = await new ApiClient(server.url).login();
  ({ sittingId } = await setUpSitting(admin, {
    teams: 3,
    cadres: 8,
    forms: ['team', 'cadre'],
    voterGroups: [
      { name: '上级', weight: 30 },
      { name: '同级', weight: 30 },
      { name: '下级', weight: 40 },
    ],
  }));
  const param = { id: String(sittingId) };
  expect((await admin.call(admin.api.admin.sittings[':id'].open.$post({ param }))).status).toBe(200);
  for (const [group, count] of [['上级', 12], ['同级', 10], ['下级', 4]] as const) {
    slips[group] = (await admin.call(admin.api.admin.sittings[':id'].tokens.$post({ param, json: { voterGroup: group, count } }))).body.tokens;
  }
  browser = await launchBrowser();
  page = await (await browser.newContext({ viewport: { width: 1366, height: 850 } })).newPage();
  await logInInBrowser(page, server.url);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('live turnout and results in the console', () => {
  it('shows a ballot cast by a script on the projector view within a second', async () => {
    await page.goto(`${server.url}/admin/sittings/${sittingId}/turnout`);
    await page.waitForSelector('[data-testid=live].on');
    await page.waitForFunction(() => document.querySelector('[data-testid=used-issued]')?.textContent?.replace(/\s/g, '') === '0/26');
    const started = Date.now();
    expect(await vote(slips['上级']![0]!, 0)).toBe(201);
    await page.waitForFunction(() => document.querySelector('[data-testid=used]')?.textContent === '1', undefined, { timeout: 1000 });
    const elapsed = Date.now() - started;
    expect(elapsed).toBeLessThan(1000);
    expect(await page.textContent('[data-testid="group-上级"]')).toBe('1 / 12');

    // More of the hall votes; the page keeps up, the per-minute chart counts them.
    let i = 1;
    for (const [group, n] of [['上级', 9], ['同级', 8], ['下级', 3]] as const) {
      for (const token of slips[group]!.slice(group === '上级' ? 1 : 0, group === '上级' ? 1 + n : n)) expect(await vote(token, i++)).toBe(201);
    }
    await page.waitForFunction(() => document.querySelector('[data-testid=used]')?.textContent === '21');
    await page.waitForFunction(() => Array.from(document.querySelectorAll('[data-testid=minute-chart] .col-label')).reduce((n, el) => n + Number(el.textContent), 0) === 21);
    console.log(`turnout: ballot visible after ${elapsed} ms`);
    await saveScreenshot(page, 'turnout.png');
  });

  it('closes after confirmation, shows the reconciliation and the results, and exports an XLSX equal to the API', async () => {
    await page.goto(`${server.url}/admin/sittings/${sittingId}`);
    await page.click('[data-testid=close]');
    await page.click('dialog [data-testid=confirm]');
    await page.waitForSelector('[data-testid=reconciliation]');
    const rec = await page.textContent('[data-testid=reconciliation]');
    expect(rec).toContain('计票数等于已使用票数');

    await page.click('[data-testid=results-link]');
    await page.waitForSelector('[data-testid=results-cadre]');
    expect(await page.textContent('[data-testid=ballots]')).toBe('21');
    await saveScreenshot(page, 'results.png');

    const api = await admin.call(admin.api.admin.sittings[':id'].results.$get({ param: { id: String(sittingId) } }));
    expect(api.status).toBe(200);
    expect(api.body.ballots).toBe(21);
    // 下级 has 3 ballots (< k = 5): its breakdown is hidden, with one more group so it cannot be subtracted out.
    expect(api.body.groups.find((g: { name: string }) => g.name === '下级')!.shown).toBe(false);

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=export-xlsx]')]);
    const file = await download.path();
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(readFileSync(file) as unknown as ArrayBuffer);
    const tally = workbook.getWorksheet('计票 Tally')!;
    const header = Array.from(tally.getRow(1).values as unknown[], (v) => String(v ?? ''));
    const col = (name: string) => header.findIndex((h) => h === name || h.endsWith(`(${name})`));
    let compared = 0;
    for (const form of api.body.forms as { id: string; subjects: { id: number; name: string; questions: { id: string; counts: Record<string, number>; valid: number; blank: number }[] }[] }[]) {
      for (const subject of form.subjects) {
        for (const q of subject.questions) {
          const row = tally.getRows(2, tally.rowCount - 1)!.find((r) => String(r.getCell(1).value).endsWith(`(${form.id})`) && r.getCell(3).value === subject.name && r.getCell(5).value === q.id);
          expect(row, `${form.id}/${subject.name}/${q.id}`).toBeDefined();
          for (const [value, n] of Object.entries(q.counts)) expect(row!.getCell(col(value)).value).toBe(n);
          expect(row!.getCell(col('有效 valid')).value).toBe(q.valid);
          expect(row!.getCell(col('弃权 blank')).value).toBe(q.blank);
          compared++;
        }
      }
    }
    expect(compared).toBe(11);
    const groups = workbook.getWorksheet('分组 Groups')!;
    const groupNames = new Set(groups.getRows(2, Math.max(1, groups.rowCount - 1))?.map((r) => String(r.getCell(4).value)) ?? []);
    expect(groupNames.has('下级')).toBe(false);
  });

  it('exports CSV with a BOM and formula-injection escaping', async () => {
    const res = await admin.api.admin.sittings[':id']['results.csv'].$post({ param: { id: String(sittingId) } });
    expect(res.status).toBe(200);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(new TextDecoder().decode(bytes)).toContain('干部1');
  });
});
