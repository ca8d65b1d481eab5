import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { BrowserContext, Page } from 'playwright-core';
import type { SittingResults } from '../../shared/sitting';
import { ApiClient, setUpSitting } from '../helpers/api-client';
import type { TestServer } from '../helpers/server';

/**
 * Page model of the voter PWA and the sitting behind it: what a voter taps and reads,
 * by role and accessible name, plus the admin calls that set a sitting up and count it.
 */

export interface OpenSitting {
  admin: ApiClient;
  sittingId: number;
  tokens: string[];
}

export async function openSittingWithSlips(server: TestServer, options: Parameters<typeof setUpSitting>[1] & { slips?: number } = {}): Promise<OpenSitting> {
  const admin = await new ApiClient(server.url).login();
  const { sittingId } = await setUpSitting(admin, options);
  const param = { id: String(sittingId) };
  const opened = await admin.call(admin.api.admin.sittings[':id'].open.$post({ param }));
  if (opened.status !== 200) throw new Error(`open: ${opened.status} ${JSON.stringify(opened.body)}`);
  const issued = await admin.call(admin.api.admin.sittings[':id'].tokens.$post({ param, json: { voterGroup: '委员', count: options.slips ?? 5 } }));
  if (issued.status !== 201) throw new Error(`tokens: ${issued.status} ${JSON.stringify(issued.body)}`);
  return { admin, sittingId, tokens: issued.body.tokens };
}

/**
 * Closes the sitting and returns its results (the server's tally). First, every slip the phone
 * did not use casts an empty ballot (abstaining on everything), so the sitting reaches k ballots
 * and publishes per-subject numbers; those abstentions change no count.
 */
export async function closeAndCount(sitting: OpenSitting): Promise<{ results: SittingResults; abstentions: number }> {
  let abstentions = 0;
  const phone = new ApiClient(sitting.admin.baseUrl, null);
  for (const token of sitting.tokens) {
    const cast = await phone.call(phone.api.voter.submit.$post({ json: { token, submissionId: randomUUID(), answers: {} } }));
    if (cast.status === 201) abstentions++;
  }
  const { admin } = sitting;
  const param = { id: String(sitting.sittingId) };
  const closed = await admin.call(admin.api.admin.sittings[':id'].close.$post({ param }));
  if (closed.status !== 200) throw new Error(`close: ${closed.status} ${JSON.stringify(closed.body)}`);
  const results = await admin.call(admin.api.admin.sittings[':id'].results.$get({ param }));
  if (results.status !== 200) throw new Error(`results: ${results.status} ${JSON.stringify(results.body)}`);
  return { results: results.body, abstentions };
}

/** `{ [formId]: { [subjectId]: { [questionId]: value } } }`, the shape the API takes. */
export type Ratings = Record<string, Record<string, Record<string, string>>>;

/** The counts a tally of exactly these ballots must show, zeros left out. */
export function expectedCounts(ballots: Ratings[]): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (const ballot of ballots)
    for (const [formId, subjects] of Object.entries(ballot))
      for (const [subjectId, questions] of Object.entries(subjects))
        for (const [questionId, value] of Object.entries(questions)) {
          const key = `${formId}/${subjectId}/${questionId}`;
          const counts = (out[key] ??= {});
          counts[value] = (counts[value] ?? 0) + 1;
        }
  return out;
}

/** The same shape from the server's results (GET /api/admin/sittings/:id/results). */
export function countedByServer(results: SittingResults): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (const form of results.forms)
    for (const subject of form.subjects)
      for (const question of subject.questions) {
        const counts = Object.fromEntries(Object.entries(question.counts as Record<string, number>).filter(([, n]) => n > 0));
        if (Object.keys(counts).length > 0) out[`${form.id}/${subject.id}/${question.id}`] = counts;
      }
  return out;
}

export class VoterPage {
  constructor(
    readonly page: Page,
    readonly baseUrl: string,
  ) {}

  async open(token?: string): Promise<void> {
    await this.page.goto(`${this.baseUrl}/vote${token ? `#${token}` : ''}`);
  }

  /** The status line: saved on this phone / waiting for network / submitted. */
  get status() {
    return this.page.getByRole('status').and(this.page.locator('.status'));
  }

  /** A choice by its screen-reader name: subject, question, option. */
  choice(subject: string, question: string, option: string) {
    return this.page.getByRole('radio', { name: `${subject}，${question}：${option}`, exact: true });
  }

  /** Waits until every card of the form on screen is mounted (they mount in slices). */
  async cardsReady(): Promise<void> {
    await this.page.locator('.cards[data-complete="true"]').waitFor();
  }

  /**
   * Taps many choices at once through the page's own radios (the same click and change events
   * a finger makes), for the bulk of a 100-subject ballot; a test taps a few with Playwright first.
   */
  async tapAll(formId: string, ratings: Ratings[string]): Promise<void> {
    await this.cardsReady();
    const taps = Object.entries(ratings).flatMap(([subjectId, qs]) => Object.entries(qs).map(([questionId, value]) => `${formId}.${subjectId}.${questionId}|${value}`));
    const missing = await this.page.evaluate((list) => {
      const lost: string[] = [];
      for (const tap of list) {
        const [name, value] = tap.split('|');
        const input = document.querySelector<HTMLInputElement>(`input[name="${name}"][value="${value}"]`);
        if (input) input.click();
        else lost.push(tap);
      }
      return lost;
    }, taps);
    if (missing.length > 0) throw new Error(`no such choices: ${missing.slice(0, 5).join(', ')}`);
  }

  next() {
    return this.page.locator('nav.pager').getByRole('button', { name: /下一步|核对并提交/ });
  }

  submit() {
    return this.page.getByRole('button', { name: '提交测评票' });
  }

  receipt() {
    return this.page.locator('.receipt[data-receipt]');
  }

  /** What IndexedDB holds on this phone, by store. */
  async stored(): Promise<{ drafts: any[]; outbox: number; receipts: any[] }> {
    return this.page.evaluate(
      () =>
        new Promise((done, fail) => {
          const req = indexedDB.open('ceping-voter');
          req.onerror = () => fail(req.error);
          req.onsuccess = () => {
            const db = req.result;
            const tx = db.transaction(['drafts', 'outbox', 'receipts']);
            const drafts = tx.objectStore('drafts').getAll();
            const outbox = tx.objectStore('outbox').count();
            const receipts = tx.objectStore('receipts').getAll();
            tx.oncomplete = () => {
              db.close();
              done({ drafts: drafts.result, outbox: outbox.result, receipts: receipts.result });
            };
          };
        }),
    );
  }
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core run inside the page (through the debugger, so the page's strict CSP stays on); serious and critical only. */
export async function seriousViolations(page: Page): Promise<{ id: string; impact: string; help: string; nodes: string[] }[]> {
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, opts: object): Promise<{ violations: any[] }> } }).axe;
    const { violations } = await axe.run(document, { resultTypes: ['violations'] });
    return violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n: { target: string[] }) => n.target.join(' ')) }));
  });
}

export async function phoneContext(browser: { newContext: (o: object) => Promise<BrowserContext> }): Promise<BrowserContext> {
  return browser.newContext({ viewport: { width: 360, height: 640 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN' });
}
