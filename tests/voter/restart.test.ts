import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/server';
import { openSittingWithSlips, VoterPage } from './voter-page';

/** A browser with a profile on disk, as on a phone: quitting it must not lose the draft. */
function launchPhone(profile: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    viewport: { width: 360, height: 640 },
    locale: 'zh-CN',
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-sync'],
  });
}

describe('a voter whose browser quits mid-ballot', () => {
  let server: TestServer;
  let profile: string;

  beforeAll(async () => {
    server = await startServer({ withClient: true });
    profile = mkdtempSync(join(tmpdir(), 'ceping-phone-'));
  });

  afterAll(async () => {
    await server?.close();
    rmSync(profile, { recursive: true, force: true });
  });

  it('finds the answers again at /vote after the browser restarts', async () => {
    const sitting = await openSittingWithSlips(server, { cadres: 3 });
    let phone = await launchPhone(profile);
    let voter = new VoterPage(phone.pages()[0] ?? (await phone.newPage()), server.url);
    await voter.open(sitting.tokens[0]);
    await voter.choice('干部1', '总体评价', '不称职').check();
    await voter.choice('干部3', '总体评价', '优秀').check();
    await expect.poll(() => voter.status.textContent()).toBe('已保存在本机');
    await phone.close();

    phone = await launchPhone(profile);
    try {
      voter = new VoterPage(phone.pages()[0] ?? (await phone.newPage()), server.url);
      await voter.open();
      await expect.poll(() => voter.choice('干部1', '总体评价', '不称职').isChecked()).toBe(true);
      expect(await voter.choice('干部3', '总体评价', '优秀').isChecked()).toBe(true);
      expect(await voter.choice('干部2', '总体评价', '称职').isChecked()).toBe(false);
    } finally {
      await phone.close();
    }
  });
});
