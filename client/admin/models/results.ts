import type { GradingPolicy } from '../../../shared/grading/policy';
import { voteFlags } from '../../../shared/grading/rules/vote-flags';
import type { VoteFlag } from '../../../shared/grading/types';
import { isRatingValue, ratingColour } from '../../../shared/rating-scale';
import type { FormResult, Sitting } from '../api-types';

/**
 * The sitting results table: each subject's rating bar, its vote flags (the grading rule of
 * GRADING.md §5.5 itself, not a copy), and the order and filter the admin chose.
 */

type Question = Sitting['forms'][number]['questions'][number];
type SubjectRow = FormResult['subjects'][number];

export type ResultsSort = 'list' | 'score' | 'incompetent';
export interface ResultsView {
  sort: ResultsSort;
  text: string;
  flaggedOnly: boolean;
}
export const DEFAULT_VIEW: ResultsView = { sort: 'list', text: '', flaggedOnly: false };

export interface Segment {
  key: string;
  zh: string;
  en: string;
  count: number;
  colour: string;
}

/**
 * The headline question's counts as bar segments, best option first (the form's own order).
 * Empty when the question's options are not ratings (a yes/no item) or nothing was counted:
 * the bar is then not drawn at all.
 */
export function ratingSegments(question: Question | undefined, subject: SubjectRow): Segment[] {
  if (!question || !question.options.every((o) => isRatingValue(o.value))) return [];
  const tally = subject.questions.find((q) => q.id === question.id);
  if (!tally || tally.valid === 0) return [];
  return question.options.map((o) => ({ key: o.value, zh: o.label, en: o.labelEn, count: tally.counts[o.value] ?? 0, colour: isRatingValue(o.value) ? ratingColour(o.value) : '' }));
}

/** The §5.5 vote flags of a subject's test, once all its rates are known; political forms have none. */
export function subjectFlags(kind: string, scores: SubjectRow['scores'], policy: GradingPolicy): VoteFlag[] {
  if (kind === 'political') return [];
  const { democraticScore, excellentRate, competentOrAboveRate, incompetentRate } = scores;
  if (typeof democraticScore !== 'number' || typeof excellentRate !== 'number' || typeof competentOrAboveRate !== 'number' || typeof incompetentRate !== 'number') return [];
  return voteFlags({ score: democraticScore, excellentRate, competentOrAboveRate, incompetentRate }, policy);
}

const scoreOf = (s: SubjectRow): number | null => s.scores.democraticScore ?? s.scores.politicalScore ?? null;

/** Highest first; a subject without the number goes last, in list order. */
function byDescending(get: (s: SubjectRow) => number | null | undefined) {
  return (a: SubjectRow, b: SubjectRow) => {
    const x = get(a);
    const y = get(b);
    if (typeof x !== 'number' || typeof y !== 'number') return (typeof x === 'number' ? -1 : 0) - (typeof y === 'number' ? -1 : 0);
    return y - x;
  };
}

/** The rows the table shows, in the chosen order. `titles` are the subjects' posts (searched too). */
export function viewRows(
  subjects: readonly SubjectRow[],
  view: ResultsView,
  flagsOf: (s: SubjectRow) => readonly VoteFlag[],
  titles: ReadonlyMap<number, string>,
): SubjectRow[] {
  const q = view.text.trim();
  const rows = subjects.filter((s) => (!view.flaggedOnly || flagsOf(s).length > 0) && (!q || s.name.includes(q) || (titles.get(s.id) ?? '').includes(q)));
  if (view.sort === 'score') rows.sort(byDescending(scoreOf));
  if (view.sort === 'incompetent') rows.sort(byDescending((s) => s.scores.incompetentRate));
  return rows;
}
