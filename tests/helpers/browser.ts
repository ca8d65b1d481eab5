import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { startServer, type TestServer } from './server';

/**
 * Debian's Chromium, headless, with no background traffic (the machine has no internet).
 * `extraArgs` come after the defaults (e.g. a fake camera: tests/voter/kiosk.test.ts).
 */
export function launchBrowser(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-sync', ...extraArgs],
  });
}

/** Where tests save screenshots for people to look at. */
export const SCREENSHOT_DIR = new URL('../../test-results/screenshots/', import.meta.url).pathname;

/**
 * The real server (serving the built client) and Chromium for one test file, started before
 * its tests and closed after them. Read `.server` and `.browser` inside tests.
 */
export function serverAndBrowser(): { readonly server: TestServer; readonly browser: Browser } {
  const env = {} as { server: TestServer; browser: Browser };
  beforeAll(async () => {
    env.server = await startServer({ withClient: true });
    env.browser = await launchBrowser();
  });
  afterAll(async () => {
    await env.browser?.close();
    await env.server?.close();
  });
  return env;
}
