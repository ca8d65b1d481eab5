import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium, headless, with no background traffic (the machine has no internet). */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-sync'],
  });
}

/** Where tests save screenshots for people to look at. */
export const SCREENSHOT_DIR = new URL('../../test-results/screenshots/', import.meta.url).pathname;
