import { describe, expect, it } from 'vitest';
import { ApiClient, setUpSitting } from '../helpers/api-client';
import { serverAndBrowser } from '../helpers/browser';
import { onSqlite } from '../helpers/server';
import { logInInBrowser, saveScreenshot } from '../console/helpers';
import { phoneContext, VoterPage } from './voter-page';

/**
 * On the phone: a practice slip says so on every screen of its ballot (issue 8, acceptance 5);
 * a ballot the server cannot store (full disk) stays queued with the server's reason shown and
 * is delivered once space returns (issue 9, acceptance 6).
 */
describe('the voter page', () => {
  const env = serverAndBrowser();

  it('marks a practice ballot 演练票 on every screen, its receipt included', async () => {
    const admin = await new ApiClient(env.server.url).login();
    const { sittingId } = await setUpSitting(admin, { cadres: 2 });
    const sitting = admin.api.admin.sittings[':id'];
    const param = { id: String(sittingId) };
    const practice = (await admin.call(sitting.tokens.$post({ param, json: { voterGroup: '委员', count: 5, dryRun: true } }))).body.tokens as string[];
    const real = (await admin.call(sitting.tokens.$post({ param, json: { voterGroup: '委员', count: 5 } }))).body.tokens as string[];
    await admin.call(sitting.rehearse.$post({ param }));

    const context = await phoneContext(env.browser);
    const page = await context.newPage();
    const voter = new VoterPage(page, env.server.url);
    const banner = page.locator('[data-rehearsal=true]');
    await voter.open(practice[0]);
    await voter.choice('干部1', '总体评价', '称职').waitFor();
    expect(await banner.textContent()).toContain('演练票');
    await saveScreenshot(page, 'voter-rehearsal.png');
    await voter.choice('干部1', '总体评价', '称职').check();
    await voter.next().click();
    expect(await banner.isVisible()).toBe(true);
    await voter.next().click();
    expect(await page.locator('main').getAttribute('data-view')).toBe('review');
    expect(await banner.isVisible()).toBe(true);
    await voter.submit().click();
    await voter.receipt().waitFor();
    expect(await banner.isVisible()).toBe(true);
    await context.close();

    // A real slip of the same sitting, once it opens, carries no such mark.
    await admin.call(sitting.open.$post({ param }));
    const other = await phoneContext(env.browser);
    const realPage = await other.newPage();
    await new VoterPage(realPage, env.server.url).open(real[0]);
    await realPage.locator('.cards').waitFor();
    expect(await realPage.locator('[data-rehearsal]').count()).toBe(0);
    await other.close();
  });

  // A full disk of the SQLite file, made with its max_page_count on the server's own connection.
  it.skipIf(!onSqlite)('keeps a ballot the server cannot store, says why, and delivers it when space returns; the console shows a red banner', async () => {
    const admin = await new ApiClient(env.server.url).login();
    // 250 cadres: 1,250 bytes a stored ballot, more than a page's cell holds, so it needs a new
    // page (a smaller one would still fit in the free space of a page the file already has).
    const { sittingId } = await setUpSitting(admin, { cadres: 250, forms: ['political'] });
    const sitting = admin.api.admin.sittings[':id'];
    const param = { id: String(sittingId) };
    const slips = (await admin.call(sitting.tokens.$post({ param, json: { voterGroup: '委员', count: 5 } }))).body.tokens as string[];
    await admin.call(sitting.open.$post({ param }));
    const raw = env.server.sqlite;

    const context = await phoneContext(env.browser);
    const page = await context.newPage();
    const voter = new VoterPage(page, env.server.url);
    await voter.open(slips[0]);
    await voter.cardsReady();
    const subjectIds = (await admin.call(sitting.$get({ param }))).body.forms[0]!.subjects.map((s: { id: number }) => String(s.id)) as string[];
    await voter.tapAll('political', Object.fromEntries(subjectIds.map((id) => [id, { loyalty: 'good', steadfastness: 'good', responsibility: 'good' }])));
    await voter.next().click();

    // A full disk: no free page left in the file (the rehearsal test above freed some), and no growth.
    raw.exec('VACUUM');
    raw.pragma(`max_page_count = ${raw.pragma('page_count', { simple: true }) as number}`);
    await voter.submit().click();
    const waiting = page.locator('[data-wait-reason=storage_full]');
    await waiting.waitFor({ timeout: 20_000 });
    expect(await waiting.textContent()).toContain('仍保存在本机');
    await saveScreenshot(page, 'voter-storage-full.png');

    const console = await env.browser.newContext({ viewport: { width: 1280, height: 800 } });
    const consolePage = await console.newPage();
    await logInInBrowser(consolePage, env.server.url);
    await consolePage.locator('[data-testid=storage-full]').waitFor({ timeout: 15_000 });
    await saveScreenshot(consolePage, 'console-storage-full.png');

    raw.pragma('max_page_count = 1073741823');
    await page.getByRole('button', { name: /立即重试|重试/ }).click();
    await voter.receipt().waitFor({ timeout: 20_000 });
    await consolePage.locator('[data-testid=storage-full]').waitFor({ state: 'detached', timeout: 15_000 });
    expect((await admin.call(sitting.turnout.$get({ param }))).body.used).toBe(1);
    await console.close();
    await context.close();
  });
});
