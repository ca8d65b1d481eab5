import { TOP_OPTION, topLimit, type Answers, type BallotForm } from './forms';

/** One reason a ballot is refused, naming the form, subject and question concerned. */
export interface AnswerProblem {
  reason: 'unknown_form' | 'unknown_subject' | 'unknown_question' | 'invalid_value' | 'required' | 'too_many_top';
  formId: string;
  subjectId?: string;
  questionId?: string;
  /** For too_many_top: the cap and the count given. */
  limit?: number;
  count?: number;
}

/**
 * Checks a ballot's answers against the forms it was cast on. Used by the server before it
 * accepts a ballot and by the voter's phone before it queues one, so both agree.
 * Returns every problem found (empty when the ballot is valid).
 */
export function checkAnswers(forms: readonly BallotForm[], answers: Answers): AnswerProblem[] {
  const problems: AnswerProblem[] = [];
  const byId = new Map(forms.map((f) => [f.id, f]));
  for (const formId of Object.keys(answers)) {
    if (!byId.has(formId)) problems.push({ reason: 'unknown_form', formId });
  }
  for (const form of forms) checkForm(form, answers[form.id] ?? {}, problems);
  return problems;
}

/** A form's subjects and questions as lookups, built once per form object and kept while it lives. */
interface FormIndex {
  subjectIds: Set<string>;
  /** Each question with the set of its option values. */
  questions: Map<string, { required: boolean; values: Set<string> }>;
}

/**
 * The server checks each of a plenary's ~1,000 ballots a second against one sitting's forms (it
 * parses them once per sitting), and the phone re-checks its ballot on every tap: building these
 * lookups for every check was most of checkAnswers' time (the ingest bench's profile).
 */
const formIndexes = new WeakMap<BallotForm, FormIndex>();

function indexOf(form: BallotForm): FormIndex {
  let index = formIndexes.get(form);
  if (!index) {
    index = {
      subjectIds: new Set(form.subjects.map((s) => String(s.id))),
      questions: new Map(form.questions.map((q) => [q.id, { required: q.required, values: new Set(q.options.map((o) => o.value)) }])),
    };
    formIndexes.set(form, index);
  }
  return index;
}

function checkForm(form: BallotForm, formAnswers: Answers[string], problems: AnswerProblem[]): void {
  const { subjectIds, questions } = indexOf(form);
  for (const subjectId of Object.keys(formAnswers)) {
    if (!subjectIds.has(subjectId)) {
      problems.push({ reason: 'unknown_subject', formId: form.id, subjectId });
      continue;
    }
    const subjectAnswers = formAnswers[subjectId]!;
    for (const questionId of Object.keys(subjectAnswers)) {
      const question = questions.get(questionId);
      if (!question) problems.push({ reason: 'unknown_question', formId: form.id, subjectId, questionId });
      else if (!question.values.has(subjectAnswers[questionId]!)) problems.push({ reason: 'invalid_value', formId: form.id, subjectId, questionId });
    }
  }
  for (const [questionId, question] of questions) {
    if (!question.required) continue;
    for (const subjectId of subjectIds) {
      if (formAnswers[subjectId]?.[questionId] === undefined) problems.push({ reason: 'required', formId: form.id, subjectId, questionId });
    }
  }
  const limit = topLimit(form);
  if (limit !== undefined && form.kind !== 'political') {
    const count = countTop(form, formAnswers);
    if (count > limit) problems.push({ reason: 'too_many_top', formId: form.id, questionId: 'overall', limit, count });
  }
}

/** How many subjects got the top overall option on this form of one ballot. */
export function countTop(form: BallotForm, formAnswers: Answers[string] | undefined): number {
  if (form.kind === 'political' || !formAnswers) return 0;
  const top = TOP_OPTION[form.kind];
  let count = 0;
  for (const subjectAnswers of Object.values(formAnswers)) if (subjectAnswers.overall === top) count++;
  return count;
}

const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Keys of the raw JSON answers that an object cannot hold as data: JSON.parse keeps `__proto__`
 * as an own key, but copying it into an object sets the prototype instead, so a validator would
 * drop it silently and accept the ballot. Such keys are refused, named like any unknown form,
 * subject or question. Run on the parsed body before the schema copies it.
 */
export function reservedKeyProblems(answers: unknown): AnswerProblem[] {
  const problems: AnswerProblem[] = [];
  const own = (v: unknown): [string, unknown][] => (v && typeof v === 'object' && !Array.isArray(v) ? Object.keys(v).map((k) => [k, (v as Record<string, unknown>)[k]]) : []);
  for (const [formId, subjects] of own(answers)) {
    if (RESERVED_KEYS.has(formId)) {
      problems.push({ reason: 'unknown_form', formId });
      continue;
    }
    for (const [subjectId, questions] of own(subjects)) {
      if (RESERVED_KEYS.has(subjectId)) {
        problems.push({ reason: 'unknown_subject', formId, subjectId });
        continue;
      }
      for (const [questionId] of own(questions)) if (RESERVED_KEYS.has(questionId)) problems.push({ reason: 'unknown_question', formId, subjectId, questionId });
    }
  }
  return problems;
}
