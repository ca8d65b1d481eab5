import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keysToEnter, layoutOf, slipCode, type CellValue, type EntryLayout } from '../../client/admin/models/paper-entry';
import { ERROR_MESSAGES } from '../../shared/errors';
import { ApiClient, byId, castBallot } from '../helpers/api-client';
import { launchBrowser } from '../helpers/browser';
import { startServer, type TestServer } from '../helpers/server';
import { logInInBrowser, saveScreenshot } from './helpers';

/**
 * Paper ballots entered twice (双人录入) on the console's entry screen, by keyboard only, at a
 * clerk's desk (1366 × 768): two organisers of the sitting, each in their own browser, key in
 * the same paper ballot and it is cast; the same clerk twice is refused; a ballot they key in
 * differently is a conflict the admin resolves on the same screen; the close counts them all.
 */
let server: TestServer;
let browser: Browser;
let admin: ApiClient;
let sittingId: number;
let bigSittingId: number;
let tokens: string[];
let bigTokens: string[];
let layout: EntryLayout;
let bigLayout: EntryLayout;
let clerkA: Page;
let clerkB: Page;
let adminPage: Page;

const NAMES = ['张建国', '李卫东', '王秀英', '赵志刚', '陈红梅', '刘德华'];
const CLERK_PASSWORD = 'clerk-password-1';
const DESK = { width: 1366, height: 768 };

async function clerk(username: string, sittings: number[]): Promise<Page> {
  const created = await admin.call(admin.api.admin.users.$post({ json: { username, password: CLERK_PASSWORD, role: 'organiser' } }));
  expect(created.status).toBe(201);
  for (const id of sittings) expect((await admin.call(admin.api.admin.sittings[':id'].organisers.$post({ ...byId(id), json: { userId: created.body.id } }))).status).toBe(200);
  const page = await (await browser.newContext({ viewport: DESK })).newPage();
  await logInInBrowser(page, server.url, username, CLERK_PASSWORD);
  return page;
}

/** Every question of the slip's ballot answered with its first option. */
async function answersOf(token: string) {
  const voter = new ApiClient(server.url, null);
  const ballot = (await voter.call(voter.api.voter.ballot.$post({ json: { token } }))).body;
  return Object.fromEntries(ballot.forms.map((f) => [f.id, Object.fromEntries(f.subjects.map((s) => [String(s.id), Object.fromEntries(f.questions.map((q) => [q.id, q.options[0]!.value]))]))]));
}

async function definition(token: string): Promise<EntryLayout> {
  const voter = new ApiClient(server.url, null);
  const ballot = await voter.call(voter.api.voter.ballot.$post({ json: { token } }));
  expect(ballot.status).toBe(200);
  return layoutOf(ballot.body.forms);
}

/** From the sitting page, by its link, to the entry screen; the slip field has the focus. */
async function openDesk(page: Page, id: number): Promise<void> {
  await page.goto(`${server.url}/admin/sittings/${id}`);
  await page.click('[data-testid=paper-entry-link]');
  await page.waitForSelector('[data-testid=paper-entry]');
  await focused(page, 'slip');
}

const focused = (page: Page, testId: string) => page.waitForFunction((id) => document.activeElement?.getAttribute('data-testid') === id, testId);
const resultSeq = (page: Page) => page.evaluate(() => Number(document.querySelector('[data-testid=entry-result]')?.getAttribute('data-seq') ?? 0));

/** The slip as a USB scanner gives it (its QR code's URL, then Enter), or as a clerk types its code. */
async function takeSlip(page: Page, token: string, how: 'scan' | 'typed' = 'scan'): Promise<void> {
  await focused(page, 'slip');
  const text = how === 'scan' ? `${server.url}/vote#${token}` : token.toUpperCase().replace(/(.{4})(?!$)/g, '$1-');
  await page.keyboard.type(text, { delay: how === 'scan' ? 0 : 5 });
  await page.keyboard.press('Enter');
}

async function keyIn(page: Page, keys: readonly string[]): Promise<void> {
  for (const key of keys) await page.keyboard.press(key === ' ' ? 'Space' : key);
}

/** One paper ballot from the slip to the answer; returns the answer shown. */
async function enterBallot(page: Page, token: string, values: readonly CellValue[], how: 'scan' | 'typed' = 'scan', extraKeys: string[] = []): Promise<{ status: string; code: string | null; text: string }> {
  const before = await resultSeq(page);
  await takeSlip(page, token, how);
  await focused(page, 'paper-sheet');
  expect(await page.textContent('[data-testid=cursor-panel] .slip-code')).toContain(slipCode(token));
  await keyIn(page, [...keysToEnter(values), ...extraKeys]);
  await page.waitForFunction((n) => Number(document.querySelector('[data-testid=entry-result]')?.getAttribute('data-seq') ?? 0) > n, before);
  const result = page.locator('[data-testid=entry-result]');
  // Every answer clears the desk for the next slip.
  await focused(page, 'slip');
  expect(await page.locator('[data-testid=paper-sheet]').count()).toBe(0);
  return { status: (await result.getAttribute('data-status'))!, code: await result.getAttribute('data-code'), text: (await result.textContent())! };
}

async function counts(page: Page): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const key of ['entered', 'awaiting', 'cast', 'conflicts']) out[key] = Number(await page.textContent(`[data-testid=count-${key}]`));
  return out;
}

/** A ballot's values: 称职 for most, 优秀 for a few, some blanks; yes/no answered 否. */
const paperValues = (l: EntryLayout, seed: number): CellValue[] =>
  l.cells.map((cell, i) => {
    const q = l.forms[cell.form]!.questions[cell.question]!;
    if (q.kind === 'yesno') return 1;
    if ((i + seed) % 7 === 0) return null;
    return (i + seed) % 5 === 0 ? 0 : 1;
  });

beforeAll(async () => {
  server = await startServer({ withClient: true });
  admin = await new ApiClient(server.url).login();
  const assessment = await admin.call(admin.api.admin.assessments.$post({ json: { name: '2026年度市管领导干部考核', year: 2026 } }));
  const subjects = [
    ...NAMES.map((name, i) => ({ key: `C${i + 1}`, kind: 'cadre' as const, name, title: i === 0 ? '市委书记' : '副市长' })),
    ...Array.from({ length: 100 }, (_, i) => ({ key: `D${i + 1}`, kind: 'cadre' as const, name: `干部${i + 1}号`, title: i % 5 === 0 ? '局长' : '副局长' })),
  ];
  expect((await admin.call(admin.api.admin.assessments[':id'].subjects.$post({ ...byId(assessment.body.id), json: subjects }))).status).toBe(201);
  const sitting = async (name: string, keys: string[], forms: ('cadre' | 'political')[], count: number) => {
    const created = await admin.call(admin.api.admin.assessments[':id'].sittings.$post({ ...byId(assessment.body.id), json: { name, forms, subjectKeys: keys, voterGroups: [{ name: '委员', weight: 100 }], k: 2 } }));
    expect(created.status).toBe(201);
    const id = created.body.id;
    const issued = await admin.call(admin.api.admin.sittings[':id'].tokens.$post({ ...byId(id), json: { voterGroup: '委员', count } }));
    expect((await admin.call(admin.api.admin.sittings[':id'].open.$post(byId(id)))).status).toBe(200);
    return { id, tokens: issued.body.tokens };
  };
  ({ id: sittingId, tokens } = await sitting('市直机关第一会场测评', subjects.slice(0, 6).map((s) => s.key), ['cadre', 'political'], 6));
  ({ id: bigSittingId, tokens: bigTokens } = await sitting('百人测评会场', subjects.slice(6).map((s) => s.key), ['cadre'], 2));
  layout = await definition(tokens[0]!);
  bigLayout = await definition(bigTokens[0]!);

  browser = await launchBrowser();
  clerkA = await clerk('luru-wang', [sittingId, bigSittingId]);
  clerkB = await clerk('luru-zhao', [sittingId]);
  adminPage = await (await browser.newContext({ viewport: DESK })).newPage();
  await logInInBrowser(adminPage, server.url);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('paper ballot entry by two clerks (双人录入)', () => {
  it('shows the ballot as printed, and keys move the highlighted cell: 1–4 tick, 0 blanks, Backspace goes back', async () => {
    await openDesk(clerkA, sittingId);
    expect(await clerkA.textContent('main h1')).toContain('纸质票录入');
    await takeSlip(clerkA, tokens[0]!);
    await focused(clerkA, 'paper-sheet');
    // One table per form, a row per subject, a column per question, the boxes numbered as on paper.
    const cadre = clerkA.locator('[data-testid=paper-form-cadre]');
    expect(await cadre.locator('tbody tr').count()).toBe(6);
    expect(await cadre.locator('tbody tr').first().textContent()).toMatch(/^1\.\s*张建国市委书记1234$/);
    const political = clerkA.locator('[data-testid=paper-form-political]');
    expect(await political.locator('thead th').count()).toBe(6);
    expect(await political.locator('tbody tr').first().locator('td').nth(3).textContent()).toBe('是否');
    expect(await clerkA.getAttribute('td.cell.current', 'data-cell')).toBe('0');

    await keyIn(clerkA, ['2', '0', '9']);
    expect(await clerkA.getAttribute('td.cell.current', 'data-cell')).toBe('2');
    expect(await clerkA.textContent('[data-testid=entry-hint]')).toContain('此项只有 1 优秀');
    expect(await cadre.locator('tbody tr').nth(0).locator('.box.on').textContent()).toBe('✓2');
    expect(await cadre.locator('tbody tr').nth(1).textContent()).toContain('弃权');
    await keyIn(clerkA, ['Backspace', 'Backspace']);
    expect(await clerkA.getAttribute('td.cell.current', 'data-cell')).toBe('0');
    expect(await clerkA.textContent('[data-testid=cursor-cell]')).toBe('领导干部测评 · 1. 张建国 · 总体评价');
    // Into the political form: the yes/no column reads 1 是 2 否.
    await keyIn(clerkA, ['2', '0', '1', '1', '1', '1', '1', '1', '1']);
    expect(await clerkA.textContent('[data-testid=cursor-cell]')).toContain('政治素质测评 · 1. 张建国 · 是否存在对党不忠诚');
    expect(await clerkA.locator('[data-testid=cursor-keys] li').allTextContents()).toEqual(['1 是', '2 否']);
    await saveScreenshot(clerkA, 'paper-entry-political.png');
    // Two Escapes discard the ballot: nothing is sent, the desk is clear.
    await keyIn(clerkA, ['Escape', 'Escape']);
    await focused(clerkA, 'slip');
    expect(await clerkA.getAttribute('[data-testid=entry-result]', 'data-status')).toBe('discarded');
    expect(await counts(clerkA)).toEqual({ entered: 0, awaiting: 0, cast: 0, conflicts: 0 });
  });

  it('casts a ballot once a second clerk keyed in the same; the same clerk twice is refused', async () => {
    const paper = paperValues(layout, 0);
    const first = await enterBallot(clerkA, tokens[0]!, paper);
    expect(first.status).toBe('awaiting_second');
    expect(first.text).toContain('等待另一位录入员');

    // The same clerk takes the slip again, its code typed by hand: refused before a key is typed.
    const before = await resultSeq(clerkA);
    await takeSlip(clerkA, tokens[0]!, 'typed');
    await clerkA.waitForFunction((n) => Number(document.querySelector('[data-testid=entry-result]')?.getAttribute('data-seq')) > n, before);
    expect(await clerkA.getAttribute('[data-testid=entry-result]', 'data-code')).toBe('same_clerk');
    expect(await clerkA.locator('[data-testid=paper-sheet]').count()).toBe(0);
    // After a reload the desk no longer remembers: the server refuses, in Chinese and English.
    await openDesk(clerkA, sittingId);
    expect(await counts(clerkA)).toEqual({ entered: 1, awaiting: 1, cast: 0, conflicts: 0 });
    const again = await enterBallot(clerkA, tokens[0]!, paper, 'typed');
    expect(again.status).toBe('refused');
    expect(again.code).toBe('same_clerk');
    expect(again.text).toContain(ERROR_MESSAGES.same_clerk.zh);
    expect(again.text).toContain(ERROR_MESSAGES.same_clerk.en);
    await saveScreenshot(clerkA, 'paper-entry-same-clerk.png');
    expect(await counts(clerkA)).toEqual({ entered: 1, awaiting: 1, cast: 0, conflicts: 0 });

    await openDesk(clerkB, sittingId);
    const second = await enterBallot(clerkB, tokens[0]!, paper);
    expect(second.status).toBe('cast');
    expect(second.text).toContain('已计票');
    expect(await counts(clerkB)).toEqual({ entered: 1, awaiting: 0, cast: 1, conflicts: 0 });

    // Cast means spent: the slip is refused when it is taken again.
    const seq = await resultSeq(clerkA);
    await takeSlip(clerkA, tokens[0]!);
    await clerkA.waitForFunction((n) => Number(document.querySelector('[data-testid=entry-result]')?.getAttribute('data-seq')) > n, seq);
    expect(await clerkA.getAttribute('[data-testid=entry-result]', 'data-code')).toBe('token_used');
    expect(await clerkA.textContent('[data-testid=entry-result]')).toContain(ERROR_MESSAGES.token_used.zh);

    // Enter pressed twice at the end sends the ballot once, and the answer stays on screen.
    const other = paperValues(layout, 3);
    expect((await enterBallot(clerkB, tokens[1]!, other, 'typed', ['Enter', 'Enter'])).status).toBe('awaiting_second');
    const shown = await resultSeq(clerkB);
    await keyIn(clerkB, ['Enter']);
    await clerkB.waitForTimeout(300);
    expect(await resultSeq(clerkB)).toBe(shown);
    expect(await clerkB.getAttribute('[data-testid=entry-result]', 'data-status')).toBe('awaiting_second');
    expect(await counts(clerkB)).toEqual({ entered: 2, awaiting: 1, cast: 1, conflicts: 0 });
    expect((await enterBallot(clerkA, tokens[1]!, other)).status).toBe('cast');
  });

  it('holds a ballot keyed in differently as a conflict naming only the cells, which the admin resolves on the same screen', async () => {
    const paper = paperValues(layout, 5);
    const misread = paper.slice();
    // The second clerk reads 李卫东's 称职 as 优秀 and misses 陈红梅's tick.
    expect([paper[1], paper[4]]).toEqual([1, 1]);
    misread[1] = 0;
    misread[4] = null;
    expect((await enterBallot(clerkA, tokens[2]!, paper)).status).toBe('awaiting_second');
    const conflict = await enterBallot(clerkB, tokens[2]!, misread);
    expect(conflict.status).toBe('conflict');
    const listed = await clerkB.locator('[data-testid=differences] li').allTextContents();
    expect(listed).toEqual(['领导干部测评 · 2. 李卫东 · 总体评价', '领导干部测评 · 5. 陈红梅 · 总体评价']);
    // Where they differ, never what either clerk keyed in.
    for (const label of ['优秀', '称职', '基本称职', '不称职', '弃权']) expect(await clerkB.textContent('[data-testid=differences]')).not.toContain(label);
    await saveScreenshot(clerkB, 'paper-entry-conflict.png');
    expect(await counts(clerkB)).toEqual({ entered: 3, awaiting: 1, cast: 1, conflicts: 1 });
    expect(await counts(clerkA)).toEqual({ entered: 3, awaiting: 2, cast: 1, conflicts: 0 });

    // The admin: resolve mode, the slip scanned, the paper keyed in, submitted: cast.
    await openDesk(adminPage, sittingId);
    await adminPage.click('[data-testid=mode-resolve]');
    expect(await adminPage.textContent('[data-testid=resolve-note]')).toContain('裁定模式');
    const resolved = await enterBallot(adminPage, tokens[2]!, paper);
    expect(resolved.status).toBe('resolved');
    expect(resolved.text).toContain('已按纸质票裁定');
    expect(await adminPage.textContent('[data-testid=count-resolved]')).toBe('1');
    // A slip without a conflict has nothing to resolve.
    const none = await enterBallot(adminPage, tokens[3]!, layout.cells.map(() => null));
    expect(none.code).toBe('no_paper_conflict');
    expect(none.text).toContain(ERROR_MESSAGES.no_paper_conflict.zh);
    await saveScreenshot(adminPage, 'paper-entry-resolve.png');
  });

  it('keys in a 100-subject ballot with 101 keys, the cell in view all along', async () => {
    await openDesk(clerkA, bigSittingId);
    expect(bigLayout.cells).toHaveLength(100);
    const paper = paperValues(bigLayout, 1);
    const keys = keysToEnter(paper);
    expect(keys).toHaveLength(101);
    await takeSlip(clerkA, bigTokens[0]!);
    await focused(clerkA, 'paper-sheet');
    // In the page: from each keydown to the end of the work it causes: the handler, the render
    // (Preact renders in a microtask queued by the handler, so before this one) and the layout.
    await clerkA.evaluate(() => {
      const times: number[] = [];
      let start = 0;
      (window as unknown as { keyTimes: number[] }).keyTimes = times;
      window.addEventListener('keydown', () => (start = performance.now()), true);
      window.addEventListener('keydown', () =>
        queueMicrotask(() => {
          void document.body.offsetHeight;
          times.push(performance.now() - start);
        }),
      );
    });
    const started = Date.now();
    await keyIn(clerkA, keys.slice(0, 57));
    const perKey = (Date.now() - started) / 57;
    expect(await clerkA.getAttribute('td.cell.current', 'data-cell')).toBe('57');
    expect(await clerkA.textContent('[data-testid=keystrokes]')).toBe('本票按键 57 次');
    // The highlighted cell is on screen, inside the scrolled sheet.
    const box = await clerkA.locator('td.cell.current').boundingBox();
    expect(box!.y).toBeGreaterThan(0);
    expect(box!.y + box!.height).toBeLessThanOrEqual(DESK.height);
    await saveScreenshot(clerkA, 'paper-entry.png');
    const size = await clerkA.evaluate(() => ({ width: document.documentElement.scrollWidth, height: document.documentElement.scrollHeight }));
    expect(size).toEqual(DESK);
    const before = await resultSeq(clerkA);
    await keyIn(clerkA, keys.slice(57));
    await clerkA.waitForFunction((n) => Number(document.querySelector('[data-testid=entry-result]')?.getAttribute('data-seq')) > n, before);
    expect(await clerkA.getAttribute('[data-testid=entry-result]', 'data-status')).toBe('awaiting_second');
    await clerkA.click('[data-testid=lang]');
    await clerkA.waitForSelector('text=Paper ballot entry');
    await saveScreenshot(clerkA, 'paper-entry-en.png');
    await clerkA.click('[data-testid=lang]');
    const times = (await clerkA.evaluate(() => (window as unknown as { keyTimes: number[] }).keyTimes)).slice().sort((a, b) => a - b);
    const median = times[Math.floor(times.length / 2)]!;
    console.log(
      `paper entry in Chromium: 100-subject cadre ballot = ${keys.length} keys; in the page ${median.toFixed(1)} ms median, ${times[times.length - 1]!.toFixed(1)} ms max per key (handler, render, layout); ` +
        `${perKey.toFixed(1)} ms per key as Playwright drives it`,
    );
    expect(times.length).toBeGreaterThanOrEqual(keys.length);
    expect(median).toBeLessThan(50);
  });

  it('opens a slip scanned while the last ballot was still on its way, once that ballot’s answer is in', async () => {
    const issued = await admin.call(admin.api.admin.sittings[':id'].tokens.$post({ ...byId(bigSittingId), json: { voterGroup: '委员', count: 1 } }));
    const next = issued.body.tokens[0]!;
    await openDesk(clerkA, bigSittingId);
    // A slow desk network: every entry’s answer takes 1.5 s.
    const slow = '**/paper-entries';
    await clerkA.route(slow, async (route) => {
      await new Promise((done) => setTimeout(done, 1500));
      await route.continue();
    });
    const before = await resultSeq(clerkA);
    await takeSlip(clerkA, bigTokens[1]!);
    await focused(clerkA, 'paper-sheet');
    await keyIn(clerkA, keysToEnter(paperValues(bigLayout, 2)));
    // The scanner reads the next slip at once, while the ballot's answer is on its way.
    await clerkA.keyboard.type(`${server.url}/vote#${next}`);
    await clerkA.keyboard.press('Enter');
    expect(await resultSeq(clerkA)).toBe(before);
    await clerkA.waitForFunction((n) => Number(document.querySelector('[data-testid=entry-result]')?.getAttribute('data-seq')) > n, before);
    expect(await clerkA.getAttribute('[data-testid=entry-result]', 'data-status')).toBe('awaiting_second');
    await focused(clerkA, 'paper-sheet');
    expect(await clerkA.textContent('[data-testid=cursor-panel] .slip-code')).toContain(slipCode(next));
    expect(await clerkA.textContent('[data-testid=keystrokes]')).toBe('本票按键 0 次');
    await saveScreenshot(clerkA, 'paper-entry-scanned-ahead.png');
    await clerkA.unroute(slow);
  });

  it('asks before discarding a paper ballot entered once, reconciles phone and paper ballots at close, and offers no entry once closed', async () => {
    // One ballot by phone, and one paper ballot that only one clerk has entered.
    expect(await castBallot(server.url, tokens[3]!)).toBe(201);
    const once = await admin.call(admin.api.admin.sittings[':id']['paper-entries'].$post({ ...byId(sittingId), json: { token: tokens[4]!, answers: await answersOf(tokens[4]!) } }));
    expect(once.body).toEqual({ status: 'awaiting_second' });

    await adminPage.goto(`${server.url}/admin/sittings/${sittingId}`);
    await adminPage.click('[data-testid=close]');
    await adminPage.click('dialog [data-testid=confirm]');
    // The close is refused by the server until the admin confirms the discard, with the counts.
    await adminPage.waitForSelector('[data-testid=paper-pending]');
    expect(await adminPage.textContent('[data-testid=paper-pending]')).toContain('待第二人录入 1 张，录入不一致待裁定 0 张');
    expect((await admin.call(admin.api.admin.sittings[':id'].$get(byId(sittingId)))).body.status).toBe('open');
    await adminPage.click('dialog [data-testid=confirm]');
    await adminPage.waitForSelector('[data-testid=reconciliation]');
    expect(await adminPage.textContent('[data-testid=reconciliation-sum]')).toBe('发出 6 = 手机 1 + 纸质 3 + 未使用 2');
    expect(await adminPage.textContent('[data-testid=paper-discarded]')).toContain('待第二人录入 1 张');
    await saveScreenshot(adminPage, 'reconciliation-paper.png');

    const results = await admin.call(admin.api.admin.sittings[':id'].results.$get(byId(sittingId)));
    expect(results.status).toBe(200);
    expect(results.body.ballots).toBe(4);
    expect(results.body.reconciliation).toMatchObject({ issued: 6, used: 4, phone: 1, paper: 3, unused: 2, paperPending: { awaitingSecond: 1, conflicts: 0 } });
    // The resolved ballot counts as the paper says: 李卫东's overall is the admin's reading.
    const overall = (name: string) => results.body.forms.find((f) => f.id === 'cadre')!.subjects.find((s) => s.name === name)!.questions.find((q) => q.id === 'overall')!;
    const expected = [0, 3, 5].map((seed) => paperValues(layout, seed)[1]);
    // The phone's ballot (castBallot's default: the second option, 称职) beside the three on paper.
    const tally = overall('李卫东');
    expect(tally.valid + tally.blank).toBe(4);
    expect(tally.counts.excellent ?? 0).toBe(expected.filter((v) => v === 0).length);
    expect(tally.counts.competent ?? 0).toBe(expected.filter((v) => v === 1).length + 1);

    await adminPage.goto(`${server.url}/admin/sittings/${sittingId}/results`);
    await adminPage.waitForSelector('[data-testid=ballots]');
    expect((await adminPage.textContent('[data-testid=ballots]'))?.trim()).toBe('4');

    await clerkB.goto(`${server.url}/admin/sittings/${sittingId}`);
    await clerkB.waitForSelector('[data-testid=turnout-link]');
    expect(await clerkB.locator('[data-testid=paper-entry-link]').count()).toBe(0);
    await clerkB.goto(`${server.url}/admin/sittings/${sittingId}/paper`);
    await clerkB.waitForSelector('[data-testid=entry-closed]');
    expect(await clerkB.locator('[data-testid=slip]').count()).toBe(0);
  });
});
