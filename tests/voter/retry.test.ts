import { describe, expect, it } from 'vitest';
import { serverAndBrowser } from '../helpers/browser';
import { closeAndCount, openSittingWithSlips, phoneContext, VoterPage } from './voter-page';

describe('a submission whose answer is lost on the way back', () => {
  const env = serverAndBrowser();

  it('is retried with the same submission id: the same receipt, one ballot counted', async () => {
    const sitting = await openSittingWithSlips(env.server, { cadres: 3 });
    const context = await phoneContext(env.browser);
    const page = await context.newPage();
    const sent: { submissionId: string; status: number; receipt?: string }[] = [];
    await page.route('**/api/voter/submit', async (route) => {
      const submissionId = (route.request().postDataJSON() as { submissionId: string }).submissionId;
      if (sent.length === 0) {
        // The server gets the ballot and counts it; the phone never hears back.
        const response = await route.fetch();
        sent.push({ submissionId, status: response.status(), receipt: ((await response.json()) as { receipt: string }).receipt });
        await route.abort('connectionreset');
        return;
      }
      const response = await route.fetch();
      sent.push({ submissionId, status: response.status() });
      await route.fulfill({ response });
    });
    const voter = new VoterPage(page, env.server.url);
    await voter.open(sitting.tokens[0]);
    await voter.choice('干部1', '总体评价', '称职').check();
    await voter.next().click();
    await voter.next().click();
    await voter.submit().click();
    await voter.receipt().waitFor({ timeout: 20_000 });

    expect(sent.map((s) => s.status)).toEqual([201, 200]);
    expect(sent[1]!.submissionId).toBe(sent[0]!.submissionId);
    expect(await voter.receipt().getAttribute('data-receipt')).toBe(sent[0]!.receipt);
    await context.close();

    const { results, abstentions } = await closeAndCount(sitting);
    expect(results.reconciliation.ballots).toBe(1 + abstentions);
  });
});
