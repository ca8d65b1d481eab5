import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page, Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, SCREENSHOT_DIR } from '../helpers/browser';
import { startServer, type TestServer } from '../helpers/server';
import { writeQrVideo } from '../helpers/y4m';
import { leaked, tabletContext, traces } from './kiosk-page';
import { closeAndCount, countedByServer, expectedCounts, openSittingWithSlips, phoneContext, seriousViolations, VoterPage } from './voter-page';

/**
 * The venue's shared tablet (/vote?kiosk, issue 12 point 5): voters without phones scan their
 * slip with the tablet's camera, vote, see the receipt, and the tablet then forgets that ballot.
 * Chromium's fake camera plays a Y4M file written here, showing a slip's QR code. Headless
 * Chromium on Linux has no BarcodeDetector, so the scans here go through jsQR.
 */
describe('the shared tablet', () => {
  let server: TestServer;
  let browser: Browser;
  let dir: string;
  let camera: string;

  /** What the fake camera shows from the next time the page opens it. */
  const show = (text: string) => writeQrVideo(camera, text);

  beforeAll(async () => {
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    dir = mkdtempSync(join(tmpdir(), 'ceping-kiosk-'));
    camera = join(dir, 'camera.y4m');
    show('https://example.org/not-a-slip');
    server = await startServer({ withClient: true });
    browser = await launchBrowser(['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${camera}`]);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const scanHeading = (page: Page) => page.getByRole('heading', { name: '请扫描您的测评票' });
  const ballotHeading = (page: Page) => page.getByRole('heading', { name: '领导干部测评' });

  /** Rates the three cadres' form and the political form, reviews and submits. */
  async function vote(page: Page, grade: string): Promise<void> {
    const voter = new VoterPage(page, server.url);
    await voter.choice('干部1', '总体评价', grade).check();
    await voter.choice('干部2', '总体评价', '称职').check();
    await voter.next().click();
    await voter.choice('干部3', '是否存在违反政治纪律和政治规矩的问题', '否').check();
    await voter.next().click();
    await voter.submit().click();
  }

  /**
   * Votes online; returns the statuses of POST /api/voter/submit once one is 201. The page and the
   * worker (Background Sync) may both deliver the queued ballot: the second gets 200, the same receipt.
   */
  async function voteAndSubmit(page: Page, grade: string): Promise<number[]> {
    const statuses: number[] = [];
    const record = (r: Response) => {
      if (r.url().endsWith('/api/voter/submit') && r.request().method() === 'POST') statuses.push(r.status());
    };
    page.context().on('response', record);
    await vote(page, grade);
    await expect.poll(() => statuses.includes(201)).toBe(true);
    page.context().off('response', record);
    return statuses;
  }

  it('opens the ballot from a scanned slip, shows the receipt, and keeps nothing of it after 下一位 or after the countdown; the next voter scans the next slip', async () => {
    const sitting = await openSittingWithSlips(server, { cadres: 3 });
    const [first, second] = sitting.tokens as [string, string];
    const context = await tabletContext(browser);
    const page = await context.newPage();
    await page.goto(`${server.url}/vote?kiosk`);
    await scanHeading(page).waitFor();

    // A QR code that is not a slip is read and refused; the camera keeps looking.
    await page.locator('.kiosk-camera[data-camera="on"]').waitFor();
    await page.getByRole('alert').filter({ hasText: '这不是测评票的二维码，请换一张。' }).waitFor();
    const decoder = await page.locator('.kiosk-camera').getAttribute('data-decoder');
    console.log(`kiosk decoder: ${decoder} (BarcodeDetector ${(await page.evaluate(() => 'BarcodeDetector' in globalThis)) ? 'present' : 'absent'})`);
    expect(decoder).toBe('library');
    // The short code under the QR cannot open a ballot; the tablet says what to do instead.
    await page.getByLabel('没有摄像头？输入票码').fill(first.slice(0, 8).toUpperCase().replace(/(.{4})/, '$1-'));
    await page.getByRole('button', { name: '打开测评票' }).click();
    await page.getByRole('alert').filter({ hasText: '这是票面短码' }).waitFor();
    await page.screenshot({ path: `${SCREENSHOT_DIR}kiosk-scan-800.png` });
    expect(await seriousViolations(page)).toEqual([]);

    // Voter 1 holds up the slip: the tablet restarts its camera (a reload) and reads it.
    show(`${server.url}/vote#${first}`);
    await page.reload();
    await ballotHeading(page).waitFor();
    expect(page.url()).toBe(`${server.url}/vote?kiosk`);
    await page.screenshot({ path: `${SCREENSHOT_DIR}kiosk-ballot-800.png` });
    const voter = new VoterPage(page, server.url);
    await voter.choice('干部3', '总体评价', '基本称职').check();
    await expect.poll(async () => (await voter.stored()).drafts[0]?.answers?.cadre).toBeTruthy();
    const firstSubmission: string = (await voter.stored()).drafts[0].submissionId;
    expect((await voteAndSubmit(page, '优秀')).every((status) => status === 201 || status === 200)).toBe(true);
    await voter.receipt().waitFor();
    const firstReceipt = (await voter.receipt().getAttribute('data-receipt'))!;
    expect(firstReceipt).toMatch(/^[A-Z2-7]{10}$/);
    await expect.poll(() => page.locator('.kiosk-countdown').textContent()).toMatch(/^[1-8] 秒后自动返回扫码页面$/);
    await page.screenshot({ path: `${SCREENSHOT_DIR}kiosk-receipt-800.png` });

    // 下一位: the scan screen again, and nothing of voter 1's ballot anywhere on the tablet.
    show(`${server.url}/vote#${second}`);
    await page.getByRole('button', { name: '下一位' }).click();
    await scanHeading(page).waitFor();
    const firstSecrets = [first, firstReceipt, firstSubmission];
    await expect.poll(async () => leaked(await traces(page), firstSecrets)).toEqual([]);
    const after = await traces(page);
    const stores = after.indexedDb['ceping-voter']!;
    expect([stores.outbox, stores.receipts]).toEqual([[], []]);
    // Voter 2's slip may already be open by now: the only draft left is theirs.
    expect(stores.drafts!.map((d) => (d as { token: string }).token).filter((t) => t !== second)).toEqual([]);
    expect(after.sessionStorage).toEqual({});
    expect(Object.keys(after.localStorage).filter((k) => k !== 'ceping-lang')).toEqual([]);
    expect(after.history.href).toBe(`${server.url}/vote?kiosk`);
    expect(after.history.state).toBeNull();
    expect(after.history.entries.length).toBeGreaterThan(0);
    expect(await page.locator('body').textContent()).not.toContain(firstReceipt);

    // Voter 2 scans the next slip on the same tablet, votes, and leaves without a tap: the countdown erases it.
    await ballotHeading(page).waitFor();
    expect(await page.getByRole('radio', { checked: true }).count()).toBe(0);
    const secondSubmission: string = (await voter.stored()).drafts[0].submissionId;
    expect(secondSubmission).not.toBe(firstSubmission);
    show('https://example.org/not-a-slip');
    expect((await voteAndSubmit(page, '称职')).every((status) => status === 201 || status === 200)).toBe(true);
    await voter.receipt().waitFor();
    const secondReceipt = (await voter.receipt().getAttribute('data-receipt'))!;
    expect(secondReceipt).not.toBe(firstReceipt);
    expect(await page.locator('body').textContent()).not.toContain(firstReceipt);
    expect(await seriousViolations(page)).toEqual([]);
    await scanHeading(page).waitFor({ timeout: 12_000 });
    await expect.poll(async () => leaked(await traces(page), [second, secondReceipt, secondSubmission, ...firstSecrets])).toEqual([]);
    expect((await traces(page)).indexedDb['ceping-voter']).toEqual({ drafts: [], outbox: [], receipts: [] });
    await context.close();

    const { results, abstentions } = await closeAndCount(sitting);
    expect(results.reconciliation.ballots).toBe(2 + abstentions);
    const [c1, c2, c3] = results.forms[0]!.subjects.map((s: { id: number }) => s.id) as [number, number, number];
    expect(countedByServer(results)).toEqual(
      expectedCounts([
        { cadre: { [c1]: { overall: 'excellent' }, [c2]: { overall: 'competent' }, [c3]: { overall: 'basically_competent' } }, political: { [c3]: { n_discipline: 'no' } } },
        { cadre: { [c1]: { overall: 'competent' }, [c2]: { overall: 'competent' } }, political: { [c3]: { n_discipline: 'no' } } },
      ]),
    );
    const board = await sitting.admin.call(sitting.admin.api.public.sittings[':id'].receipts.$get({ param: { id: String(sitting.sittingId) } }));
    expect(board.body.receipts).toEqual(expect.arrayContaining([firstReceipt, secondReceipt]));
  }, 120_000); // two voters, an 8 s countdown and jsQR on every camera frame: slow on a busy two-core machine

  it('keeps ballots queued while the Wi-Fi is down, shows them only as a count, opens offline, and erases them once delivered', async () => {
    const sitting = await openSittingWithSlips(server, { cadres: 3 });
    const token = sitting.tokens[0]!;
    const context = await tabletContext(browser);
    const page = await context.newPage();
    show(`${server.url}/vote#${token}`);
    await page.goto(`${server.url}/vote?kiosk`);
    await ballotHeading(page).waitFor();
    // The kiosk's own code is kept on the tablet by the worker (it is not in the phones' precache).
    const kioskFiles = () => page.evaluate(async () => (await (await caches.open('ceping-kiosk')).keys()).map((r) => new URL(r.url).pathname));
    await expect
      .poll(async () => (await kioskFiles()).map((p) => (p.startsWith('/assets/kiosk-decoder-') ? 'decoder' : 'kiosk')).sort())
      .toEqual(['decoder', 'kiosk']);
    const voter = new VoterPage(page, server.url);
    const submission: string = (await voter.stored()).drafts[0].submissionId;

    await context.setOffline(true);
    show('https://example.org/not-a-slip');
    await vote(page, '不称职');
    await page.getByRole('heading', { name: '测评票已保存在本平板' }).waitFor();
    await expect.poll(() => page.locator('.kiosk-waiting').textContent()).toContain('待发送 1 张');
    await page.screenshot({ path: `${SCREENSHOT_DIR}kiosk-saved-offline-800.png` });
    await page.getByRole('button', { name: '下一位' }).click();
    await scanHeading(page).waitFor();
    await expect.poll(() => page.locator('.kiosk-waiting').getAttribute('data-waiting')).toBe('1');
    await expect.poll(async () => (await traces(page)).indexedDb['ceping-voter']?.drafts).toEqual([]);
    // Only the outbox still holds the ballot (it must, to deliver it); nothing shows it.
    const queued = await traces(page);
    expect(queued.indexedDb['ceping-voter']!.outbox).toHaveLength(1);
    expect(leaked({ ...queued, indexedDb: {} }, [token, submission])).toEqual([]);
    expect(await page.locator('body').textContent()).not.toContain('不称职');

    // The tablet restarts with no network: the page and the kiosk's code come from the worker.
    const reloaded = await page.reload();
    expect(reloaded?.fromServiceWorker()).toBe(true);
    await scanHeading(page).waitFor();
    await expect.poll(() => page.locator('.kiosk-waiting').getAttribute('data-waiting')).toBe('1');
    await page.screenshot({ path: `${SCREENSHOT_DIR}kiosk-scan-waiting-800.png` });

    // The Wi-Fi is back: delivered, and then erased like any other ballot; no receipt is shown.
    await context.setOffline(false);
    await page.locator('.kiosk-waiting').waitFor({ state: 'detached', timeout: 20_000 });
    await expect.poll(async () => (await traces(page)).indexedDb['ceping-voter']).toEqual({ drafts: [], outbox: [], receipts: [] });
    expect(leaked(await traces(page), [token, submission])).toEqual([]);
    await scanHeading(page).waitFor();
    expect(await page.locator('.receipt').count()).toBe(0);
    await context.close();

    const { results, abstentions } = await closeAndCount(sitting);
    expect(results.reconciliation.ballots).toBe(1 + abstentions);
    const [c1, c2, c3] = results.forms[0]!.subjects.map((s: { id: number }) => s.id) as [number, number, number];
    expect(countedByServer(results)).toEqual(expectedCounts([{ cadre: { [c1]: { overall: 'incompetent' }, [c2]: { overall: 'competent' } }, political: { [c3]: { n_discipline: 'no' } } }]));
  });

  it('lets the voter type the code when the camera cannot be used', async () => {
    const sitting = await openSittingWithSlips(server, { cadres: 3 });
    const token = sitting.tokens[0]!;
    const context = await tabletContext(browser);
    // A tablet whose camera is missing or refused.
    await context.addInitScript(() => {
      navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException('no camera', 'NotFoundError'));
    });
    const page = await context.newPage();
    await page.goto(`${server.url}/vote?kiosk`);
    await page.locator('.kiosk-camera[data-camera="off"]').waitFor();
    await page.getByText('摄像头不可用。请在下方输入票码，或请工作人员协助。').waitFor();
    // As printed for reading out: groups of four, upper case.
    await page.getByLabel('没有摄像头？输入票码').fill(token.toUpperCase().replace(/(.{4})/g, '$1 '));
    await page.getByLabel('没有摄像头？输入票码').press('Enter');
    await ballotHeading(page).waitFor();
    expect(page.url()).toBe(`${server.url}/vote?kiosk`);
    await context.close();
  });

  it('costs a phone nothing: the kiosk code is neither loaded nor precached by /vote', async () => {
    const sitting = await openSittingWithSlips(server, { cadres: 3 });
    const context = await phoneContext(browser);
    const page = await context.newPage();
    const requested: string[] = [];
    context.on('request', (r) => requested.push(new URL(r.url()).pathname));
    await page.goto(`${server.url}/vote#${sitting.tokens[0]}`);
    await ballotHeading(page).waitFor();
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    const cached = await page.evaluate(async () => {
      const urls: string[] = [];
      for (const name of await caches.keys()) for (const r of await (await caches.open(name)).keys()) urls.push(new URL(r.url).pathname);
      return urls;
    });
    expect(cached.some((u) => u.startsWith('/assets/vote-'))).toBe(true);
    expect(cached.filter((u) => u.includes('kiosk'))).toEqual([]);
    expect(requested.filter((u) => u.includes('kiosk'))).toEqual([]);
    await context.close();
  });
});
