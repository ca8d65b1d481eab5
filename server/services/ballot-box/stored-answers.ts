import type { Answers, BallotForm } from '../../../shared/forms';

/**
 * How a ballot's answers are stored: one character per cell (form, subject, question), in the
 * forms' own order, the chosen option's position as a digit, '-' for a blank. A plenary's
 * ballot of 100 cadres on two forms is 600 bytes instead of 15 KB of JSON.
 *
 * - Every byte written costs: a close rewrites its sitting's ballots, each through the WAL and
 *   then into the file, with an fsync each; a group commit writes its ballots before it answers.
 *   Fewer bytes make both faster, and a province's year smaller (tests/bench/layout.bench.ts).
 * - Two ballots with the same choices are the same bytes: nothing in a stored ballot can follow
 *   from the device or the order of taps (the JSON was already canonical; this is too, by design).
 * - The forms of a sitting never change once it is open (the ballot box refuses edits after
 *   open), so the positions decode with the sitting's own forms.
 *
 * Ballots stored before this encoding are canonical JSON (starting with '{'): still read.
 */
const BLANK = '-';
const ZERO = 48; // '0'

export function encodeAnswers(forms: readonly BallotForm[], answers: Answers): string {
  let text = '';
  for (const form of forms) {
    const given = answers[form.id];
    for (const subject of form.subjects) {
      const subjectAnswers = given?.[String(subject.id)];
      for (const question of form.questions) {
        const value = subjectAnswers?.[question.id];
        const position = value === undefined ? -1 : question.options.findIndex((o) => o.value === value);
        // The ballot box checks every value against its question first: an unknown one here is a bug.
        if (value !== undefined && position < 0) throw new Error(`encodeAnswers: ${form.id}/${subject.id}/${question.id} has no option ${value}`);
        text += position < 0 ? BLANK : String.fromCharCode(ZERO + position);
      }
    }
  }
  return text;
}

/** The answers of a stored ballot, blanks left out (as canonicalAnswers in ballot-rules.ts leaves them). */
export function decodeAnswers(forms: readonly BallotForm[], text: string): Answers {
  if (text.startsWith('{')) return JSON.parse(text) as Answers;
  const answers: Answers = {};
  let at = 0;
  for (const form of forms) {
    let formAnswers: Answers[string] | undefined;
    for (const subject of form.subjects) {
      let subjectAnswers: Record<string, string> | undefined;
      for (const question of form.questions) {
        const code = text.charCodeAt(at++);
        if (code === BLANK.charCodeAt(0)) continue;
        const option = question.options[code - ZERO];
        if (!option) throw new Error(`decodeAnswers: cell ${at - 1} holds ${JSON.stringify(text[at - 1])}, not an option of ${form.id}/${question.id}`);
        (subjectAnswers ??= {})[question.id] = option.value;
      }
      if (subjectAnswers) (formAnswers ??= {})[String(subject.id)] = subjectAnswers;
    }
    if (formAnswers) answers[form.id] = formAnswers;
  }
  if (at !== text.length) throw new Error(`decodeAnswers: ${text.length} cells stored, the forms have ${at}`);
  return answers;
}
