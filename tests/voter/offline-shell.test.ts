import { describe, expect, it } from 'vitest';
import { serverAndBrowser } from '../helpers/browser';
import { phoneContext } from './voter-page';

/**
 * The voter page opens with no network (issue 10, acceptance 7): once the app is installed,
 * every way of writing the voter page's address is answered by the service worker from its
 * precache, and a new worker never takes over by itself (tests/voter/update.test.ts).
 */
describe('the installed voter page with no network', () => {
  const env = serverAndBrowser();

  it('is answered by the service worker at /vote, /vote/ and /vote?from=singlemessage', async () => {
    const context = await phoneContext(env.browser);
    const page = await context.newPage();
    await page.goto(`${env.server.url}/vote`);
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    await page.reload();
    expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);

    await context.setOffline(true);
    for (const path of ['/vote', '/vote/', '/vote?from=singlemessage']) {
      const response = await page.goto(`${env.server.url}${path}`);
      expect(response?.fromServiceWorker(), path).toBe(true);
      expect(response?.status(), path).toBe(200);
      await page.locator('#app header').waitFor();
      expect(await page.title(), path).toContain('民主测评');
    }
    await context.close();
  });
});
