import { checkAnswers, type AnswerProblem } from '../../../shared/answers';
import { ERROR_MESSAGES, type ErrorCode } from '../../../shared/errors';
import type { Answers } from '../../../shared/forms';
import { normaliseToken } from '../../../shared/token';
import type { PaperBallot, PaperDifference, PaperEntryOutcome } from '../api-types';
import { bi, type Bilingual } from './text';

/**
 * The paper ballot entry screen (纸质票录入, double entry): a clerk takes a slip (a scanner
 * types its URL and Enter, or the clerk types its code) and keys the paper in, one cell at a
 * time, in the paper's own order: form by form, row (subject) by row, question by question
 * across the row. Keys 1–4 tick the box of that number (是/否: 1 = 是, 2 = 否) and move on;
 * 0 or Space leaves the cell blank (an abstention); Enter moves on, Backspace moves back; after
 * the last cell Enter submits. Pure: the page feeds it keys and carries out what it answers.
 */

export type EntryForm = PaperBallot['forms'][number];
export type EntryQuestion = EntryForm['questions'][number];

/** One box-group of the paper: a question of a subject of a form, by position. */
export interface EntryCell {
  form: number;
  subject: number;
  question: number;
}

/** The cells of a ballot in the order the clerk keys them; `offsets[f]` is form f's first cell. */
export interface EntryLayout {
  forms: readonly EntryForm[];
  cells: readonly EntryCell[];
  offsets: readonly number[];
}

export function layoutOf(forms: readonly EntryForm[]): EntryLayout {
  const cells: EntryCell[] = [];
  const offsets: number[] = [];
  forms.forEach((form, f) => {
    offsets.push(cells.length);
    form.subjects.forEach((_, s) => form.questions.forEach((_, q) => cells.push({ form: f, subject: s, question: q })));
  });
  return { forms, cells, offsets };
}

/** The index of a cell in keying order. */
export function cellIndex(layout: EntryLayout, form: number, subject: number, question: number): number {
  return layout.offsets[form]! + subject * layout.forms[form]!.questions.length + question;
}

export function questionAt(layout: EntryLayout, index: number): EntryQuestion | undefined {
  const cell = layout.cells[index];
  return cell && layout.forms[cell.form]!.questions[cell.question];
}

/** The labels printed beside the boxes on paper (server/services/slips/paper.ts): 1..4 for grades, 是/否 for yes/no. */
export function boxLabels(question: EntryQuestion): string[] {
  return question.kind === 'yesno' ? question.options.map((o) => o.label) : question.options.map((_, i) => String(i + 1));
}

/** What each key ticks in a question: "1 优秀 · 2 称职 …" or "1 是 · 2 否". */
export function keyLegend(question: EntryQuestion): Bilingual {
  return bi(question.options.map((o, i) => `${i + 1} ${o.label}`).join(' · '), question.options.map((o, i) => `${i + 1} ${o.labelEn}`).join(' · '));
}

/** The cell's place in words, as the paper names it: "领导干部测评 · 3. 王秀英 · 总体评价". */
export function cellName(layout: EntryLayout, cell: EntryCell): Bilingual {
  const form = layout.forms[cell.form]!;
  const subject = form.subjects[cell.subject]!;
  const question = form.questions[cell.question]!;
  return bi(`${form.title} · ${cell.subject + 1}. ${subject.name} · ${question.text}`, `${form.titleEn} · ${cell.subject + 1}. ${subject.name} · ${question.textEn}`);
}

/** The cell of (form id, subject id, question id), as the server names one; undefined when the ballot has none. */
export function cellById(layout: EntryLayout, formId: string, subjectId: string | undefined, questionId: string | undefined): EntryCell | undefined {
  const f = layout.forms.findIndex((x) => x.id === formId);
  const form = layout.forms[f];
  if (!form) return undefined;
  const s = form.subjects.findIndex((x) => String(x.id) === subjectId);
  const q = form.questions.findIndex((x) => x.id === questionId);
  return s < 0 || q < 0 ? undefined : { form: f, subject: s, question: q };
}

/** The cells two clerks' entries differ in, by name: where, never what either typed (the server tells no more). */
export function differenceNames(layout: EntryLayout, differences: readonly PaperDifference[]): Bilingual[] {
  return differences.map((d) => {
    const cell = cellById(layout, d.form, d.subject, d.question);
    return cell ? cellName(layout, cell) : bi(`${d.form} · ${d.subject} · ${d.question}`, `${d.form} · ${d.subject} · ${d.question}`);
  });
}

/** A cell's content: the option ticked (its index), or null for a blank (abstention). */
export type CellValue = number | null;

export interface EntryState {
  /** The cell being keyed; `cells.length` is the submit position after the last cell. */
  cursor: number;
  values: CellValue[];
  /** The furthest the cursor has been: blank cells before it were passed over on purpose. */
  reached: number;
  /** Keys the clerk pressed for this ballot (a scan's characters not counted). */
  keystrokes: number;
  /** Characters of a slip URL arriving while the table has the focus (a scan), until its Enter. */
  capture: string | null;
  /** Escape was pressed once: a second Escape discards the ballot. */
  confirmDiscard: boolean;
  /** What the last key could not do, shown beside the table. */
  hint: Bilingual | null;
}

export function emptyEntry(layout: EntryLayout): EntryState {
  return { cursor: 0, values: layout.cells.map(() => null), reached: 0, keystrokes: 0, capture: null, confirmDiscard: false, hint: null };
}

/** Whether anything was keyed into this ballot (a discard or another slip would lose it). */
export function isDirty(state: EntryState): boolean {
  return state.keystrokes > 0;
}

export type EntryEffect = { kind: 'none' } | { kind: 'submit' } | { kind: 'discard' } | { kind: 'scan'; text: string };

export interface KeyResult {
  state: EntryState;
  effect: EntryEffect;
  /** The key meant something here: the page prevents its default (Space scrolling, Backspace). */
  handled: boolean;
}

const NONE: EntryEffect = { kind: 'none' };

/** Moves the cursor (clamped to 0..submit position), keeping `reached`. */
export function moveTo(layout: EntryLayout, state: EntryState, index: number): EntryState {
  const cursor = Math.max(0, Math.min(layout.cells.length, index));
  return { ...state, cursor, reached: Math.max(state.reached, cursor), hint: null, confirmDiscard: false };
}

/** The same question of the next (+1) or previous (-1) subject of the same form; the cursor when there is none. */
function verticalMove(layout: EntryLayout, cursor: number, step: 1 | -1): number {
  const cell = layout.cells[cursor];
  if (!cell) return step === -1 && cursor > 0 ? cursor - 1 : cursor;
  const next = cell.subject + step;
  if (next < 0 || next >= layout.forms[cell.form]!.subjects.length) return cursor;
  return cellIndex(layout, cell.form, next, cell.question);
}

/** A key a scanner types at the start of a URL (or a letter of a typed code): never a cell's key. */
const SCAN_START = /^[a-zA-Z:/#.]$/;

/**
 * One key pressed while the table has the focus (`key` as KeyboardEvent.key). Returns the
 * next state and what the page should do: submit the ballot, discard it, or take a slip that
 * was scanned into the table (its characters are held back, so the digits of a token never
 * tick boxes).
 */
export function pressKey(layout: EntryLayout, state: EntryState, key: string): KeyResult {
  const end = layout.cells.length;
  if (state.capture !== null) {
    if (key === 'Enter') return { state: { ...state, capture: null }, effect: { kind: 'scan', text: state.capture }, handled: true };
    if (key === 'Escape') return { state: { ...state, capture: null }, effect: NONE, handled: true };
    if (key.length === 1) return { state: { ...state, capture: state.capture + key }, effect: NONE, handled: true };
    return { state, effect: NONE, handled: false };
  }
  if (SCAN_START.test(key)) return { state: { ...state, capture: key, hint: null, confirmDiscard: false }, effect: NONE, handled: true };

  const pressed = { ...state, keystrokes: state.keystrokes + 1, hint: null, confirmDiscard: false };
  const done = (next: EntryState, effect: EntryEffect = NONE): KeyResult => ({ state: next, effect, handled: true });
  const question = questionAt(layout, state.cursor);

  if (/^[0-9]$/.test(key) || key === ' ') {
    if (!question) return done({ ...pressed, hint: bi('已到最后：按 Enter 提交，Backspace 返回修改。', 'Past the last cell: Enter submits, Backspace goes back.') });
    const blank = key === '0' || key === ' ';
    const choice = blank ? null : Number(key) - 1;
    if (blank && question.required) return done({ ...pressed, hint: bi('此项必填，不能弃权。', 'This item is required: it cannot be left blank.') });
    if (choice !== null && (choice < 0 || choice >= question.options.length)) {
      return done({ ...pressed, hint: bi(`此项只有 ${keyLegend(question).zh}，0 为弃权。`, `This item has ${keyLegend(question).en}; 0 is blank.`) });
    }
    const values = state.values.slice();
    values[state.cursor] = choice;
    return done(moveTo(layout, { ...pressed, values }, state.cursor + 1));
  }
  switch (key) {
    case 'Enter':
      if (state.cursor >= end) return done(pressed, { kind: 'submit' });
      return done(moveTo(layout, pressed, state.cursor + 1));
    case 'Backspace':
    case 'ArrowLeft':
      return done(moveTo(layout, pressed, state.cursor - 1));
    case 'ArrowRight':
      return done(moveTo(layout, pressed, state.cursor + 1));
    case 'ArrowDown':
      return done(moveTo(layout, pressed, verticalMove(layout, state.cursor, 1)));
    case 'ArrowUp':
      return done(moveTo(layout, pressed, verticalMove(layout, state.cursor, -1)));
    case 'Escape':
      if (state.confirmDiscard) return done(pressed, { kind: 'discard' });
      return done({ ...pressed, confirmDiscard: true, hint: bi('再按一次 Esc 放弃这张票（不提交）。', 'Press Esc again to discard this ballot (nothing is sent).') });
    default:
      return { state, effect: NONE, handled: false };
  }
}

/** The answers as the voter API takes them: only ticked cells (a blank is no answer). */
export function answersOf(layout: EntryLayout, values: readonly CellValue[]): Answers {
  const answers: Answers = {};
  layout.cells.forEach((cell, i) => {
    const choice = values[i];
    if (choice === null || choice === undefined) return;
    const form = layout.forms[cell.form]!;
    const question = form.questions[cell.question]!;
    const option = question.options[choice];
    if (!option) return;
    const subjectId = String(form.subjects[cell.subject]!.id);
    ((answers[form.id] ??= {})[subjectId] ??= {})[question.id] = option.value;
  });
  return answers;
}

/** The keys that enter `values` into an empty ballot and submit it: one per cell (its box, or 0), then Enter. */
export function keysToEnter(values: readonly CellValue[]): string[] {
  return [...values.map((v) => (v === null ? '0' : String(v + 1))), 'Enter'];
}

/** Why the server would refuse these answers (shared/answers.ts, as it checks them), with the cell to go back to. */
export interface EntryProblem {
  text: Bilingual;
  cell: number | undefined;
}

export function entryProblems(layout: EntryLayout, values: readonly CellValue[]): EntryProblem[] {
  return describeProblems(layout, checkAnswers(layout.forms, answersOf(layout, values)));
}

/** The problems of a ballot (the client's check, or a 422's details) in words, each with its cell. */
export function describeProblems(layout: EntryLayout, problems: readonly AnswerProblem[]): EntryProblem[] {
  return problems.map((p) => {
    const cell = cellById(layout, p.formId, p.subjectId, p.questionId);
    const where = cell ? cellName(layout, cell) : bi(p.formId, p.formId);
    const index = cell ? cellIndex(layout, cell.form, cell.subject, cell.question) : undefined;
    if (p.reason === 'required') return { text: bi(`${where.zh}：必填，未填写`, `${where.en}: required, left blank`), cell: index };
    if (p.reason === 'too_many_top') {
      const f = layout.forms.findIndex((x) => x.id === p.formId);
      const form = layout.forms[f];
      const top = form?.questions.find((q) => q.id === 'overall')?.options[0];
      return {
        text: bi(
          `${form?.title ?? p.formId}：「${top?.label ?? ''}」${p.count} 个，超过上限 ${p.limit} 个。请核对纸质票；纸质票确实超限的，交管理员处理。`,
          `${form?.titleEn ?? p.formId}: ${p.count} × "${top?.labelEn ?? ''}", above the cap of ${p.limit}. Check the paper; if the paper is over the cap, hand it to an admin.`,
        ),
        cell: f >= 0 ? layout.offsets[f] : undefined,
      };
    }
    return { text: bi(`${where.zh}：${p.reason}`, `${where.en}: ${p.reason}`), cell: index };
  });
}

/** What the slip field was given: a token, or why it is not one. */
export type SlipInput = { token: string } | { problem: 'empty' | 'short_code' | 'not_a_slip' };

/**
 * The slip from what the field received: a scanner's URL (`https://host/vote#<token>`, the
 * token is its fragment) or a code the clerk typed (any case, spaces and hyphens ignored).
 */
export function slipFromInput(text: string): SlipInput {
  let raw = text.trim();
  const hash = raw.lastIndexOf('#');
  if (hash >= 0) raw = raw.slice(hash + 1);
  try {
    raw = decodeURIComponent(raw);
  } catch {
    // a mangled fragment: checked as it is
  }
  const token = normaliseToken(raw);
  if (token === '') return { problem: 'empty' };
  if (/^[a-z2-7]{26}$/.test(token)) return { token };
  if (/^[a-z2-7]{8}$/.test(token)) return { problem: 'short_code' };
  return { problem: 'not_a_slip' };
}

export const SLIP_PROBLEMS: Record<Extract<SlipInput, { problem: string }>['problem'], Bilingual> = {
  empty: bi('请扫描测评票二维码，或输入票码后按 Enter。', "Scan the slip's QR code, or type its code and press Enter."),
  short_code: bi(
    '这是票面短码，只用于核对纸张。请扫描二维码，或输入完整票码（26 位）。',
    'That is the short code, printed to match pages. Scan the QR code or type the full code (26 characters).',
  ),
  not_a_slip: bi('无法识别：不是测评票的二维码或票码。', "Not recognised: not a slip's QR code or code."),
};

/** The short code printed under the slip's QR code (server/services/slips/page.ts): to check the paper in hand. */
export function slipCode(token: string): string {
  return token.slice(0, 8).toUpperCase().replace(/(.{4})/, '$1-');
}

/** A refusal in both languages: the server's message of the code (shared/errors.ts), or the message given. */
export function refusalText(code: string, message: string): Bilingual {
  const known = (ERROR_MESSAGES as Record<string, Bilingual | undefined>)[code];
  return known ?? bi(message, message);
}

/**
 * Refusals after which this slip cannot be entered from this desk (the next slip comes);
 * anything else (invalid answers, the network) keeps the ballot on the screen to fix or retry.
 */
const ENDS_BALLOT = new Set<ErrorCode | string>(['same_clerk', 'token_used', 'unknown_token', 'no_paper_conflict', 'sitting_not_open', 'sitting_closed', 'rehearsal_over', 'forbidden', 'too_many_attempts']);

export function endsBallot(code: string): boolean {
  return ENDS_BALLOT.has(code);
}

/** The desk's count for this session. */
export interface SessionCounts {
  entered: number;
  awaiting: number;
  cast: number;
  conflicts: number;
  resolved: number;
}

export const NO_COUNTS: SessionCounts = { entered: 0, awaiting: 0, cast: 0, conflicts: 0, resolved: 0 };

export function countOutcome(counts: SessionCounts, outcome: PaperEntryOutcome['status'] | 'resolved'): SessionCounts {
  if (outcome === 'resolved') return { ...counts, resolved: counts.resolved + 1 };
  const next = { ...counts, entered: counts.entered + 1 };
  if (outcome === 'awaiting_second') next.awaiting++;
  else if (outcome === 'cast') next.cast++;
  else next.conflicts++;
  return next;
}

/** The answer's headline. */
export function outcomeText(outcome: PaperEntryOutcome['status'] | 'resolved'): Bilingual {
  switch (outcome) {
    case 'awaiting_second':
      return bi('已录入，等待另一位录入员第二次录入。', "Entered: waiting for a second clerk's entry.");
    case 'cast':
      return bi('两次录入一致，已计票。', 'Both entries agree: the ballot is cast.');
    case 'conflict':
      return bi('两次录入不一致，未计票：请把这张纸质票交给管理员裁定。不一致的项：', 'The two entries differ and nothing is cast: hand this paper to an admin to resolve. Differing items:');
    case 'resolved':
      return bi('已按纸质票裁定，已计票。', 'Resolved from the paper: the ballot is cast.');
  }
}

/** The legend printed above a form's table on paper: "1 优秀   2 称职 …   是/否 yes/no". */
export function formLegend(form: EntryForm): string {
  const seen = new Map<string, string>();
  for (const q of form.questions) if (q.kind === 'grade') q.options.forEach((o, i) => seen.set(`${i + 1}`, `${i + 1} ${o.label}`));
  return [...seen.values()].join('   ') + (form.questions.some((q) => q.kind === 'yesno') ? '   是/否 yes/no' : '');
}

/** How many cells hold a tick. */
export function tickedCount(values: readonly CellValue[]): number {
  return values.reduce<number>((n, v) => (v === null ? n : n + 1), 0);
}
