import { appendFileSync, cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../helpers/browser';
import { BUILT_CLIENT, startServer, type TestServer } from '../helpers/server';
import { openSittingWithSlips, phoneContext, VoterPage } from './voter-page';

/** A new version of the app is deployed mid-ballot: it waits for the voter, and the draft survives the switch. */
describe('a voter when a new version of the app arrives', () => {
  const clientDir = mkdtempSync(join(tmpdir(), 'ceping-client-'));
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    cpSync(BUILT_CLIENT, clientDir, { recursive: true });
    server = await startServer({ clientDir });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    rmSync(clientDir, { recursive: true, force: true });
  });

  it('offers the update without reloading, and keeps every answer across it', async () => {
    const sitting = await openSittingWithSlips(server, { cadres: 3 });
    const context = await phoneContext(browser);
    const page = await context.newPage();
    const voter = new VoterPage(page, server.url);
    await voter.open(sitting.tokens[0]);
    await page.getByRole('heading', { name: '领导干部测评' }).waitFor();
    // The app is installed: from the next visit on, the service worker controls the page.
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    await page.reload();
    await page.getByRole('heading', { name: '领导干部测评' }).waitFor();
    expect(await page.evaluate(() => Boolean(navigator.serviceWorker.controller))).toBe(true);
    await voter.choice('干部2', '总体评价', '称职').check();
    await expect.poll(() => voter.status.textContent()).toBe('已保存在本机');
    await page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));

    // Deploy: the service worker script changes; the phone finds it on its next update check.
    appendFileSync(join(clientDir, 'sw.js'), '\n// next release\n');
    // The build ships each file precompressed too; a release rebuilds them, so drop the stale ones.
    rmSync(join(clientDir, 'sw.js.br'), { force: true });
    rmSync(join(clientDir, 'sw.js.gz'), { force: true });
    await expect
      .poll(() => page.evaluate(async () => {
        const registration = (await navigator.serviceWorker.getRegistration())!;
        await registration.update();
        return registration.waiting?.state ?? registration.installing?.state ?? 'none';
      }))
      .toBe('installed');
    const banner = page.getByText('有新版本。您的填写已保存，更新不会丢失。');
    await banner.waitFor();
    // The new version waits: the page has not reloaded and the voter can keep rating.
    expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
    await voter.choice('干部3', '总体评价', '优秀').check();
    await expect.poll(() => voter.status.textContent()).toBe('已保存在本机');

    await page.getByRole('button', { name: '更新', exact: true }).click();
    await page.waitForFunction(() => !(window as unknown as { notReloaded?: boolean }).notReloaded);
    await page.getByRole('heading', { name: '领导干部测评' }).waitFor();
    await expect.poll(() => voter.choice('干部2', '总体评价', '称职').isChecked()).toBe(true);
    expect(await voter.choice('干部3', '总体评价', '优秀').isChecked()).toBe(true);
    await context.close();
  });
});
