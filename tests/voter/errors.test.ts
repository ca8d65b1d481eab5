import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ERROR_MESSAGES } from '../../shared/errors';
import { ApiClient } from '../helpers/api-client';
import { serverAndBrowser, SCREENSHOT_DIR } from '../helpers/browser';
import { openSittingWithSlips, phoneContext, VoterPage } from './voter-page';

/** What the voter reads when a slip or a ballot cannot be used: the contract's messages, and the draft stays. */
describe('a voter whose slip or ballot is refused', () => {
  const env = serverAndBrowser();

  async function phone() {
    const context = await phoneContext(env.browser);
    const page = await context.newPage();
    return { context, page, voter: new VoterPage(page, env.server.url) };
  }

  it('reads a plain message for an unknown slip, in Chinese and then English', async () => {
    const { context, page, voter } = await phone();
    await voter.open('a'.repeat(26));
    await expect.poll(() => page.getByText(ERROR_MESSAGES.unknown_token.zh).isVisible()).toBe(true);
    await page.screenshot({ path: `${SCREENSHOT_DIR}voter-unknown-slip-360.png` });
    await page.getByRole('button', { name: 'Switch to English' }).click();
    await expect.poll(() => page.getByText(ERROR_MESSAGES.unknown_token.en).isVisible()).toBe(true);
    await context.close();
  });

  it('reads "already used" for a spent slip, and for a ballot whose slip was spent meanwhile, keeping the draft', async () => {
    const sitting = await openSittingWithSlips(env.server, { cadres: 3 });
    const voterApi = new ApiClient(env.server.url, null);
    const [spent, meanwhile] = sitting.tokens as [string, string];
    expect((await voterApi.call(voterApi.api.voter.submit.$post({ json: { token: spent, submissionId: randomUUID(), answers: {} } }))).status).toBe(201);

    const { context, page, voter } = await phone();
    await voter.open(spent);
    await expect.poll(() => page.getByText(ERROR_MESSAGES.token_used.zh).isVisible()).toBe(true);

    await voter.open(meanwhile);
    await voter.choice('干部1', '总体评价', '称职').check();
    await voter.next().click();
    await voter.next().click();
    expect((await voterApi.call(voterApi.api.voter.submit.$post({ json: { token: meanwhile, submissionId: randomUUID(), answers: {} } }))).status).toBe(201);
    await voter.submit().click();
    await expect.poll(() => page.locator('[data-problem]').getAttribute('data-problem')).toBe('token_used');
    await expect.poll(() => page.getByText(ERROR_MESSAGES.token_used.zh).isVisible()).toBe(true);
    await expect.poll(() => voter.status.textContent()).toBe('未被接受');
    await page.screenshot({ path: `${SCREENSHOT_DIR}voter-token-used-360.png` });

    // Kept on the phone, across a reload, with the answers.
    await page.reload();
    await expect.poll(() => page.getByText(ERROR_MESSAGES.token_used.zh).isVisible()).toBe(true);
    const [draft] = (await voter.stored()).drafts;
    expect(draft.status).toBe('problem');
    expect(Object.values(draft.answers.cadre)).toEqual([{ overall: 'competent' }]);
    await page.getByRole('button', { name: '查看我的填写' }).click();
    await expect.poll(() => voter.choice('干部1', '总体评价', '称职').isChecked()).toBe(true);
    await context.close();
  });

  it('reads "closed" when the sitting closes before the ballot arrives, keeping the draft', async () => {
    const sitting = await openSittingWithSlips(env.server, { cadres: 3 });
    const { context, page, voter } = await phone();
    await voter.open(sitting.tokens[0]);
    await voter.choice('干部3', '总体评价', '优秀').check();
    await voter.next().click();
    await voter.next().click();
    expect((await sitting.admin.call(sitting.admin.api.admin.sittings[':id'].close.$post({ param: { id: String(sitting.sittingId) } }))).status).toBe(200);
    await voter.submit().click();
    await expect.poll(() => page.locator('[data-problem]').getAttribute('data-problem')).toBe('sitting_closed');
    await expect.poll(() => page.getByText(ERROR_MESSAGES.sitting_closed.zh).isVisible()).toBe(true);
    const [draft] = (await voter.stored()).drafts;
    expect(Object.values(draft.answers.cadre)).toEqual([{ overall: 'excellent' }]);

    // A slip of the closed sitting does not open.
    await voter.open(sitting.tokens[1]);
    await expect.poll(() => page.locator('[data-problem]').getAttribute('data-problem')).toBe('sitting_closed');
    await context.close();
  });

  it('sees the top-rating cap exceeded live and cannot submit until it is fixed, keeping the draft', async () => {
    // 5 cadres, 优秀 at most 30%: one.
    const sitting = await openSittingWithSlips(env.server, { cadres: 5, forms: [{ kind: 'cadre', maxTopShare: 0.3 }] });
    const { context, page, voter } = await phone();
    await voter.open(sitting.tokens[0]);
    await voter.choice('干部1', '总体评价', '优秀').check();
    await voter.choice('干部2', '总体评价', '优秀').check();
    await expect.poll(() => page.locator('.progress .top').textContent()).toBe('优秀 2/1');
    await expect.poll(() => page.getByRole('alert').textContent()).toBe('「优秀」最多 1 个，您已选 2 个，请减少。');
    await page.screenshot({ path: `${SCREENSHOT_DIR}voter-too-many-top-360.png` });
    await page.getByRole('button', { name: 'Switch to English' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toBe('At most 1 may be rated “Excellent”; you chose 2. Please change some.');
    await page.screenshot({ path: `${SCREENSHOT_DIR}voter-ballot-en-360.png` });
    await page.getByRole('button', { name: '切换到中文' }).click();

    await voter.next().click();
    await expect.poll(() => page.getByText('请先修改以下问题：').isVisible()).toBe(true);
    expect(await voter.submit().isDisabled()).toBe(true);
    expect((await voter.stored()).drafts[0].answers.cadre).toBeDefined();
    expect((await voter.stored()).outbox).toBe(0);

    await page.getByRole('button', { name: '上一步' }).click();
    await voter.choice('干部2', '总体评价', '称职').check();
    await voter.next().click();
    expect(await voter.submit().isEnabled()).toBe(true);
    await voter.submit().click();
    await voter.receipt().waitFor();
    await context.close();
  });

  it('reads which answers the server refused (422) when a ballot reaches it invalid, keeping the draft', async () => {
    const sitting = await openSittingWithSlips(env.server, { cadres: 5, forms: [{ kind: 'cadre', maxTopShare: 0.3 }] });
    const { context, page, voter } = await phone();
    // Something between the phone and the server (an old app version, a bad proxy) turns a valid ballot into one with two 优秀.
    await page.route('**/api/voter/submit', async (route) => {
      const body = route.request().postDataJSON() as { answers: Record<string, Record<string, Record<string, string>>> };
      for (const subject of Object.values(body.answers.cadre ?? {})) subject.overall = 'excellent';
      await route.continue({ postData: JSON.stringify(body) });
    });
    await voter.open(sitting.tokens[0]);
    await voter.choice('干部1', '总体评价', '优秀').check();
    await voter.choice('干部2', '总体评价', '称职').check();
    await voter.next().click();
    await voter.submit().click();
    await expect.poll(() => page.locator('[data-problem]').getAttribute('data-problem')).toBe('invalid_answers');
    await expect.poll(() => page.getByText(ERROR_MESSAGES.invalid_answers.zh).isVisible()).toBe(true);
    await expect.poll(() => page.getByText('「优秀」最多 1 个，您已选 2 个，请减少。').isVisible()).toBe(true);
    const [draft] = (await voter.stored()).drafts;
    expect([draft.status, Object.values(draft.answers.cadre).length]).toEqual(['problem', 2]);
    await page.getByRole('button', { name: '返回修改' }).click();
    await expect.poll(() => voter.choice('干部2', '总体评价', '称职').isChecked()).toBe(true);
    await context.close();
  });
});
