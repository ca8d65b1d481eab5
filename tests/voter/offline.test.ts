import { describe, expect, it } from 'vitest';
import { serverAndBrowser, SCREENSHOT_DIR } from '../helpers/browser';
import { closeAndCount, countedByServer, expectedCounts, openSittingWithSlips, phoneContext, VoterPage } from './voter-page';

/** The venue's Wi-Fi drops: the ballot is saved, queued and delivered once when the network is back. */
describe('a voter who loses the network', () => {
  const env = serverAndBrowser();

  it('submits offline, closes the page, and the ballot is delivered once when /vote is opened again online', async () => {
    const sitting = await openSittingWithSlips(env.server, { cadres: 3 });
    const context = await phoneContext(env.browser);
    const page = await context.newPage();
    const voter = new VoterPage(page, env.server.url);
    await voter.open(sitting.tokens[0]);
    await page.getByRole('heading', { name: '领导干部测评' }).waitFor();

    await context.setOffline(true);
    await voter.choice('干部1', '总体评价', '优秀').check();
    await voter.choice('干部2', '总体评价', '不称职').check();
    await voter.next().click();
    await voter.choice('干部3', '是否存在违反政治纪律和政治规矩的问题', '否').check();
    await voter.next().click();
    await voter.submit().click();
    await expect.poll(() => voter.status.textContent()).toBe('等待网络');
    await page.getByRole('heading', { name: '等待网络' }).waitFor();
    await page.screenshot({ path: `${SCREENSHOT_DIR}voter-waiting-360.png` });
    await page.close();

    await context.setOffline(false);
    const again = await context.newPage();
    const back = new VoterPage(again, env.server.url);
    await back.open();
    await back.receipt().waitFor();
    const receipt = await back.receipt().getAttribute('data-receipt');
    expect((await back.stored()).drafts).toEqual([]);
    await context.close();

    const { results, abstentions } = await closeAndCount(sitting);
    expect(results.reconciliation.ballots).toBe(1 + abstentions);
    const [c1, c2, c3] = results.forms[0]!.subjects.map((s: { id: number }) => s.id) as [number, number, number];
    expect(countedByServer(results)).toEqual(expectedCounts([{ cadre: { [c1]: { overall: 'excellent' }, [c2]: { overall: 'incompetent' } }, political: { [c3]: { n_discipline: 'no' } } }]));
    const board = await sitting.admin.call(sitting.admin.api.public.sittings[':id'].receipts.$get({ param: { id: String(sitting.sittingId) } }));
    expect(board.body.receipts).toContain(receipt);
    expect(board.body.receipts).toHaveLength(1 + abstentions);
  });

  it('reloads offline from the device (app shell and draft), and delivers once when the network returns', async () => {
    const sitting = await openSittingWithSlips(env.server, { cadres: 3 });
    const context = await phoneContext(env.browser);
    const page = await context.newPage();
    const voter = new VoterPage(page, env.server.url);
    await voter.open(sitting.tokens[0]);
    await page.getByRole('heading', { name: '领导干部测评' }).waitFor();
    // The service worker has precached the shell once it is active.
    expect(await page.evaluate(async () => Boolean((await navigator.serviceWorker.ready).active))).toBe(true);
    await voter.choice('干部2', '总体评价', '称职').check();
    await expect.poll(() => voter.status.textContent()).toBe('已保存在本机');

    await context.setOffline(true);
    await page.reload();
    await page.getByRole('heading', { name: '领导干部测评' }).waitFor();
    await expect.poll(() => voter.choice('干部2', '总体评价', '称职').isChecked()).toBe(true);
    await voter.choice('干部1', '总体评价', '基本称职').check();
    await voter.next().click();
    await voter.next().click();
    await voter.submit().click();
    await expect.poll(() => voter.status.textContent()).toBe('等待网络');

    await page.reload();
    await page.getByRole('heading', { name: '等待网络' }).waitFor();
    expect((await voter.stored()).outbox).toBe(1);

    await context.setOffline(false);
    await voter.receipt().waitFor({ timeout: 20_000 });
    await expect.poll(() => voter.status.textContent()).toBe('已提交');
    const stored = await voter.stored();
    expect([stored.drafts, stored.outbox]).toEqual([[], 0]);
    await context.close();

    const { results, abstentions } = await closeAndCount(sitting);
    expect(results.reconciliation.ballots).toBe(1 + abstentions);
    const [c1, c2] = results.forms[0]!.subjects.map((s: { id: number }) => s.id) as [number, number];
    expect(countedByServer(results)).toEqual(expectedCounts([{ cadre: { [c1]: { overall: 'basically_competent' }, [c2]: { overall: 'competent' } } }]));
  });
});
