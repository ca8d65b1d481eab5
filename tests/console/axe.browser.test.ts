import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, byId, castBallot, setUpSitting } from '../helpers/api-client';
import { launchBrowser } from '../helpers/browser';
import { startServer, type TestServer } from '../helpers/server';
import { logInInBrowser } from './helpers';

/**
 * axe-core over every console page (issue 13, accessibility): no serious or critical
 * violation on the login page, the home page, an assessment (with the new-sitting form and a
 * subject import preview open), a sitting, its turnout, results and paper entry, the grading
 * screens with the demo province, the policy, the accounts and the audit log.
 */
let server: TestServer;
let browser: Browser;
let page: Page;
let admin: ApiClient;
let sittingId: number;
let closedId: number;
let assessmentId: number;
let currentId: number;

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

interface Finding {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/** axe on the page as it is now; the serious and critical findings, with the elements named. */
async function seriousFindings(): Promise<Finding[]> {
  await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => JSON.stringify(n.target)) }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** Opens a console page and waits until it has shown its data (no loading line left). */
async function open(path: string, ready: string): Promise<void> {
  await page.goto(`${server.url}${path}`);
  await page.waitForSelector(ready, { timeout: 30_000 });
  await page.waitForFunction(() => !document.body.textContent?.includes('加载中…'));
}

beforeAll(async () => {
  server = await startServer({ withClient: true });
  admin = await new ApiClient(server.url).login();
  currentId = (await admin.call(admin.api.admin['demo-province'].$post())).body.currentId;
  // An open sitting (turnout, paper entry) and a closed one with ballots (results).
  ({ sittingId, assessmentId } = await setUpSitting(admin, { teams: 2, cadres: 4, forms: ['team', 'cadre'] }));
  expect((await admin.call(admin.api.admin.sittings[':id'].open.$post(byId(sittingId)))).status).toBe(200);
  ({ sittingId: closedId } = await setUpSitting(admin, { teams: 2, cadres: 4, forms: ['team', 'cadre', 'political'] }));
  expect((await admin.call(admin.api.admin.sittings[':id'].open.$post(byId(closedId)))).status).toBe(200);
  const { tokens } = (await admin.call(admin.api.admin.sittings[':id'].tokens.$post({ ...byId(closedId), json: { voterGroup: '委员', count: 6 } }))).body;
  for (const [i, token] of tokens.entries()) expect(await castBallot(server.url, token, (q) => q.options[i % q.options.length]!.value)).toBe(201);
  expect((await admin.call(admin.api.admin.sittings[':id'].close.$post(byId(closedId)))).status).toBe(200);
  browser = await launchBrowser();
  // axe is injected as a script of the test's own: the console's CSP (script-src 'self') would refuse it.
  page = await (await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true })).newPage();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('axe finds no serious or critical issue on any console page', () => {
  it('login', async () => {
    await page.goto(`${server.url}/admin`);
    await page.waitForSelector('input[name=username]');
    expect(await seriousFindings()).toEqual([]);
    await logInInBrowser(page, server.url);
  });

  const pages: [name: string, path: () => string, ready: string, then?: (p: Page) => Promise<void>][] = [
    ['home', () => '/admin', 'ul.cards'],
    ['assessment', () => `/admin/assessments/${assessmentId}`, '[data-testid=subjects]'],
    [
      'new sitting',
      () => `/admin/assessments/${assessmentId}`,
      '[data-testid=new-sitting]',
      async (p) => {
        await p.click('[data-testid=new-sitting]');
        await p.waitForSelector('[data-testid=new-sitting-form]');
      },
    ],
    [
      'subject import preview',
      () => `/admin/assessments/${assessmentId}`,
      'input[name=subjectsFile]',
      async (p) => {
        const csv = '编号,类型,姓名/名称,职务\nX1,干部,新干部,副市长\nX2,未知,,\n';
        await p.setInputFiles('input[name=subjectsFile]', { name: '名单.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
        await p.waitForSelector('[data-testid=import-preview]');
      },
    ],
    ['sitting', () => `/admin/sittings/${sittingId}`, 'main h1'],
    ['closed sitting', () => `/admin/sittings/${closedId}`, 'main h1'],
    ['turnout', () => `/admin/sittings/${sittingId}/turnout`, '[data-testid=used]'],
    ['paper entry', () => `/admin/sittings/${sittingId}/paper`, '[data-testid=paper-entry]'],
    ['results', () => `/admin/sittings/${closedId}/results`, '[data-testid=results-cadre] [data-testid=rating-bar]'],
    ['inputs', () => `/admin/assessments/${currentId}/inputs`, 'main table'],
    ['grading', () => `/admin/assessments/${currentId}/grading`, '[data-testid=composite-histogram]'],
    ['report', () => `/admin/assessments/${currentId}/report`, '[data-testid=report-chart-provincial_teams][aria-label*="2018"]'],
    ['policy', () => '/admin/policy', 'main form'],
    ['users', () => '/admin/users', 'main table'],
    ['audit', () => '/admin/audit', 'main table'],
  ];
  for (const [name, path, ready, then] of pages) {
    it(name, async () => {
      await open(path(), ready);
      await then?.(page);
      const findings = await seriousFindings();
      expect(findings, `${name}: ${JSON.stringify(findings, null, 1)}`).toEqual([]);
    });
  }
});
