import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  answersOf,
  boxLabels,
  cellIndex,
  countOutcome,
  differenceNames,
  emptyEntry,
  endsBallot,
  entryProblems,
  formLegend,
  isDirty,
  keysToEnter,
  layoutOf,
  moveTo,
  NO_COUNTS,
  pressKey,
  refusalText,
  slipCode,
  slipFromInput,
  tickedCount,
  type CellValue,
  type EntryLayout,
  type EntryState,
  type KeyResult,
} from '../../../client/admin/models/paper-entry';
import { canonicalAnswers } from '../../../server/services/ballot-box/ballot-rules';
import { slipCode as printedSlipCode } from '../../../server/services/slips/page';
import { checkAnswers } from '../../../shared/answers';
import { buildForm, type BallotForm, type FormSettings } from '../../../shared/forms';

const subjects = (n: number) => Array.from({ length: n }, (_, i) => ({ id: 100 + i, name: `干部${i + 1}`, title: '副市长' }));
const form = (settings: FormSettings, n: number): BallotForm => buildForm(settings, subjects(n));
const TOKEN = 'abcdefghijklmnopqrstuvwxyz'.replace(/[a-z]/g, (c) => 'abcdefghijklmnopqrstuvwxyz234567'[(c.charCodeAt(0) * 7) % 32]!);

/** Presses the keys one after another; returns every result. */
function press(layout: EntryLayout, keys: readonly string[], start: EntryState = emptyEntry(layout)): KeyResult[] {
  const out: KeyResult[] = [];
  let state = start;
  for (const key of keys) {
    const r = pressKey(layout, state, key);
    out.push(r);
    state = r.state;
  }
  return out;
}
const last = (rs: KeyResult[]) => rs[rs.length - 1]!;

describe('paper entry: the cells in the paper’s order', () => {
  it('goes form by form, row by row, across the questions of a row, as the paper reads', () => {
    const layout = layoutOf([form({ kind: 'cadre' }, 3), form({ kind: 'political' }, 2)]);
    expect(layout.cells).toHaveLength(3 + 2 * 5);
    expect(layout.offsets).toEqual([0, 3]);
    expect(layout.cells.slice(3, 9)).toEqual([
      { form: 1, subject: 0, question: 0 },
      { form: 1, subject: 0, question: 1 },
      { form: 1, subject: 0, question: 2 },
      { form: 1, subject: 0, question: 3 },
      { form: 1, subject: 0, question: 4 },
      { form: 1, subject: 1, question: 0 },
    ]);
    expect(cellIndex(layout, 1, 1, 4)).toBe(12);
  });

  it('numbers the boxes as printed: 1..4 for grades, 是/否 for yes/no, with the paper’s legend', () => {
    const political = form({ kind: 'political' }, 1);
    expect(political.questions.map(boxLabels)).toEqual([['1', '2', '3', '4'], ['1', '2', '3', '4'], ['1', '2', '3', '4'], ['是', '否'], ['是', '否']]);
    expect(formLegend(political)).toBe('1 好   2 较好   3 一般   4 差   是/否 yes/no');
    expect(formLegend(form({ kind: 'cadre' }, 1))).toBe('1 优秀   2 称职   3 基本称职   4 不称职');
  });
});

describe('paper entry: keys', () => {
  const layout = layoutOf([form({ kind: 'cadre' }, 3), form({ kind: 'political' }, 1)]);

  it('ticks the box of the digit and moves on; 0 and Space leave a blank and move on', () => {
    const rs = press(layout, ['2', '0', ' ']);
    expect(rs.map((r) => r.state.cursor)).toEqual([1, 2, 3]);
    expect(last(rs).state.values.slice(0, 3)).toEqual([1, null, null]);
    expect(rs.every((r) => r.handled && r.effect.kind === 'none')).toBe(true);
    expect(last(rs).state.keystrokes).toBe(3);
  });

  it('takes 1 = 是 and 2 = 否 on a yes/no item, and refuses a digit with no box, staying put', () => {
    const at = moveTo(layout, emptyEntry(layout), cellIndex(layout, 1, 0, 3));
    const [yes, no] = press(layout, ['1', '2'], at);
    expect(answersOf(layout, no!.state.values)).toEqual({ political: { '100': { n_duplicity: 'yes', n_discipline: 'no' } } });
    expect(yes!.state.cursor).toBe(at.cursor + 1);
    const refused = pressKey(layout, at, '3');
    expect(refused.state.cursor).toBe(at.cursor);
    expect(refused.state.values[at.cursor]).toBeNull();
    expect(refused.state.hint?.zh).toContain('1 是 · 2 否');
    const five = pressKey(layout, emptyEntry(layout), '5');
    expect(five.state.cursor).toBe(0);
    expect(five.state.hint?.en).toContain('1 Excellent · 2 Competent');
  });

  it('moves on with Enter and back with Backspace (clamped), up and down the same column with the arrows', () => {
    const rs = press(layout, ['Enter', 'Enter', 'Backspace', 'Backspace', 'Backspace']);
    expect(rs.map((r) => r.state.cursor)).toEqual([1, 2, 1, 0, 0]);
    const row = moveTo(layout, emptyEntry(layout), cellIndex(layout, 1, 0, 2));
    expect(pressKey(layout, row, 'ArrowDown').state.cursor).toBe(row.cursor);
    const cadre = moveTo(layout, emptyEntry(layout), 1);
    expect(pressKey(layout, cadre, 'ArrowDown').state.cursor).toBe(2);
    expect(pressKey(layout, cadre, 'ArrowUp').state.cursor).toBe(0);
    expect(pressKey(layout, emptyEntry(layout), 'ArrowUp').state.cursor).toBe(0);
  });

  it('changes a cell gone back to, keeping the rest', () => {
    const rs = press(layout, ['1', '2', '3', 'Backspace', 'Backspace', '4']);
    expect(last(rs).state.values.slice(0, 3)).toEqual([0, 3, 2]);
    expect(last(rs).state.cursor).toBe(2);
    expect(last(rs).state.reached).toBe(3);
  });

  it('submits with Enter after the last cell, and only there', () => {
    const keys = keysToEnter(layout.cells.map(() => 0));
    const rs = press(layout, keys);
    expect(rs.slice(0, -1).every((r) => r.effect.kind === 'none')).toBe(true);
    expect(last(rs).effect).toEqual({ kind: 'submit' });
    // Past the end a digit ticks nothing and says what Enter does.
    const end = rs[rs.length - 2]!.state;
    const digit = pressKey(layout, end, '1');
    expect(digit.state.values).toEqual(end.values);
    expect(digit.state.hint?.en).toContain('Enter submits');
  });

  it('refuses a blank on a required item', () => {
    const strict = layoutOf([form({ kind: 'cadre', requireAll: true }, 2)]);
    const r = pressKey(strict, emptyEntry(strict), '0');
    expect(r.state.cursor).toBe(0);
    expect(r.state.hint?.zh).toContain('必填');
  });

  it('discards only on a second Escape', () => {
    const [first, second] = press(layout, ['Escape', 'Escape']);
    expect(first!.effect.kind).toBe('none');
    expect(first!.state.confirmDiscard).toBe(true);
    expect(second!.effect).toEqual({ kind: 'discard' });
    const [, other, third] = press(layout, ['Escape', '1', 'Escape']);
    expect(other!.state.confirmDiscard).toBe(false);
    expect(third!.effect.kind).toBe('none');
  });

  it('holds a slip scanned into the table: the token’s digits tick no box, its Enter submits nothing', () => {
    const url = `https://192.168.1.20:8443/vote#${TOKEN}`;
    const start = press(layout, ['1'])[0]!.state;
    const rs = press(layout, [...url.split(''), 'Enter'], start);
    const end = last(rs);
    expect(end.effect).toEqual({ kind: 'scan', text: url });
    expect(end.state.values).toEqual(start.values);
    expect(end.state.cursor).toBe(start.cursor);
    expect(end.state.keystrokes).toBe(start.keystrokes);
    expect(slipFromInput(url)).toEqual({ token: TOKEN });
    // Escape abandons a half-received scan.
    const cancelled = press(layout, ['h', '3', 'Escape', '3'], start);
    expect(last(cancelled).state.values[1]).toBe(2);
  });

  it('ignores keys it has no use for, so the browser keeps them (Tab, F5)', () => {
    for (const key of ['Tab', 'F5', 'Shift']) expect(pressKey(layout, emptyEntry(layout), key).handled).toBe(false);
  });

  it('never leaves the cursor outside the ballot, whatever is pressed', () => {
    const keys = fc.constantFrom('0', '1', '2', '3', '4', '5', ' ', 'Enter', 'Backspace', 'ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight', 'Escape', 'h', 'Tab');
    fc.assert(
      fc.property(fc.array(keys, { maxLength: 80 }), (sequence) => {
        for (const r of press(layout, sequence)) {
          expect(r.state.cursor).toBeGreaterThanOrEqual(0);
          expect(r.state.cursor).toBeLessThanOrEqual(layout.cells.length);
          expect(r.state.values).toHaveLength(layout.cells.length);
          for (const [i, v] of r.state.values.entries()) if (v !== null) expect(v).toBeLessThan(layout.forms[layout.cells[i]!.form]!.questions[layout.cells[i]!.question]!.options.length);
        }
      }),
    );
  });
});

describe('paper entry: the answers sent', () => {
  const forms = [form({ kind: 'cadre', dimensions: true, maxTopShare: 0.5 }, 4), form({ kind: 'political' }, 2)];
  const layout = layoutOf(forms);

  it('sends ticked cells only, as the voter API takes them and the server stores them', () => {
    const values: CellValue[] = layout.cells.map((_, i) => (i % 3 === 0 ? null : i % 2));
    const answers = answersOf(layout, values);
    expect(canonicalAnswers(forms, answers)).toEqual(answers);
    expect(answers.cadre!['100']).toEqual({ de: 'competent', neng: 'excellent', ji: 'excellent', lian: 'competent' });
    expect(Object.keys(answers.cadre!['100']!)).not.toContain('overall');
    expect(tickedCount(values)).toBe(values.filter((v) => v !== null).length);
    expect(answersOf(layout, layout.cells.map(() => null))).toEqual({});
  });

  it('finds what the server would refuse before sending it, naming the cell', () => {
    const top = layout.cells.map(() => 0 as CellValue);
    const problems = entryProblems(layout, top);
    expect(checkAnswers(forms, answersOf(layout, top)).map((p) => p.reason)).toEqual(['too_many_top']);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.text.zh).toContain('「优秀」4 个，超过上限 2 个');
    expect(problems[0]!.cell).toBe(0);
    const strict = layoutOf([form({ kind: 'cadre', requireAll: true }, 3)]);
    const missing = entryProblems(strict, [0, null, 1]);
    expect(missing).toEqual([{ text: { zh: '领导干部测评 · 2. 干部2 · 总体评价：必填，未填写', en: 'Cadre evaluation · 2. 干部2 · Overall: required, left blank' }, cell: 1 }]);
  });

  it('names the cells two entries differ in, and nothing of their values', () => {
    const names = differenceNames(layout, [
      { form: 'cadre', subject: '102', question: 'overall' },
      { form: 'political', subject: '101', question: 'n_discipline' },
    ]);
    expect(names.map((n) => n.zh)).toEqual(['领导干部测评 · 3. 干部3 · 总体评价', '政治素质测评 · 2. 干部2 · 是否存在违反政治纪律和政治规矩的问题']);
    expect(names[0]!.en).toBe('Cadre evaluation · 3. 干部3 · Overall');
  });
});

describe('paper entry: the slip', () => {
  it('takes a scanned URL’s fragment or a typed code in any case, with spaces and hyphens', () => {
    expect(slipFromInput(`https://ceping.example/vote#${TOKEN}`)).toEqual({ token: TOKEN });
    const typed = TOKEN.toUpperCase().replace(/(.{4})/g, '$1-');
    expect(slipFromInput(` ${typed} `)).toEqual({ token: TOKEN });
    expect(slipFromInput(TOKEN.replace(/(.{5})/g, '$1 '))).toEqual({ token: TOKEN });
    expect(slipFromInput('')).toEqual({ problem: 'empty' });
    expect(slipFromInput(slipCode(TOKEN))).toEqual({ problem: 'short_code' });
    expect(slipFromInput('https://ceping.example/vote#hello')).toEqual({ problem: 'not_a_slip' });
    expect(slipFromInput('https://ceping.example/vote#%ZZ')).toEqual({ problem: 'not_a_slip' });
  });

  it('shows the short code printed on the paper', () => {
    expect(slipCode(TOKEN)).toBe(printedSlipCode(TOKEN));
    expect(slipCode(TOKEN)).toMatch(/^[A-Z2-7]{4}-[A-Z2-7]{4}$/);
  });
});

describe('paper entry: answers and refusals', () => {
  it('counts the session’s entries by what they came to', () => {
    let c = NO_COUNTS;
    for (const o of ['awaiting_second', 'cast', 'conflict', 'awaiting_second', 'resolved'] as const) c = countOutcome(c, o);
    expect(c).toEqual({ entered: 4, awaiting: 2, cast: 1, conflicts: 1, resolved: 1 });
  });

  it('words refusals in both languages, and ends the slip only where retrying cannot help', () => {
    expect(refusalText('same_clerk', 'x').zh).toContain('第二次录入须由另一位录入员完成');
    expect(refusalText('same_clerk', 'x').en).toContain('another clerk');
    expect(refusalText('something_new', 'Server said so')).toEqual({ zh: 'Server said so', en: 'Server said so' });
    for (const code of ['same_clerk', 'token_used', 'unknown_token', 'no_paper_conflict', 'sitting_closed']) expect(endsBallot(code), code).toBe(true);
    for (const code of ['invalid_answers', 'network', 'http_502']) expect(endsBallot(code), code).toBe(false);
  });

  it('knows a ballot keyed into from one not yet touched', () => {
    const layout = layoutOf([form({ kind: 'cadre' }, 2)]);
    expect(isDirty(emptyEntry(layout))).toBe(false);
    expect(isDirty(pressKey(layout, emptyEntry(layout), 'Enter').state)).toBe(true);
  });
});

describe('paper entry: keystrokes per ballot', () => {
  /** Keys a clerk presses to enter one paper ballot from an empty screen, checked by running them. */
  function measure(forms: BallotForm[], choose: (i: number) => CellValue): { keys: number; cells: number } {
    const layout = layoutOf(forms);
    const values = layout.cells.map((_, i) => choose(i));
    const keys = keysToEnter(values);
    const rs = press(layout, keys);
    expect(last(rs).effect).toEqual({ kind: 'submit' });
    expect(rs.filter((r) => r.effect.kind !== 'none')).toHaveLength(1);
    expect(last(rs).state.values).toEqual(values);
    expect(answersOf(layout, last(rs).state.values)).toEqual(canonicalAnswers(forms, answersOf(layout, values)));
    expect(last(rs).state.keystrokes).toBe(keys.length);
    return { keys: keys.length, cells: layout.cells.length };
  }

  it('takes one key per box-group and one Enter: 101 keys for a 100-subject cadre ballot', () => {
    // Mostly 称职, some 优秀 (within a 30 % cap), some blanks: the key count is the same whatever is ticked.
    const cadre = measure([form({ kind: 'cadre', maxTopShare: 0.3 }, 100)], (i) => (i % 7 === 0 ? null : i % 5 === 0 ? 0 : 1));
    expect(cadre).toEqual({ keys: 101, cells: 100 });
    const dimensions = measure([form({ kind: 'cadre', dimensions: true }, 100)], (i) => i % 4);
    const political = measure([form({ kind: 'political' }, 100)], (i) => (i % 5 >= 3 ? 1 : 0));
    console.log(
      `paper entry keystrokes per ballot (scan not counted: the scanner types the URL and its Enter): ` +
        `cadre 100 subjects × 1 question = ${cadre.keys} keys (${(cadre.keys / cadre.cells).toFixed(2)} per cell); ` +
        `cadre with 德能勤绩廉 100 × 6 = ${dimensions.keys}; political 100 × 5 = ${political.keys}; ` +
        `typing the 26-character code instead of scanning adds 27`,
    );
    expect(dimensions.keys).toBe(601);
    expect(political.keys).toBe(501);
  });
});
