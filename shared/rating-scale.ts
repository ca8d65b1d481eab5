import type { Grade } from './grading/types';

/**
 * The one colour scale of ratings and grades, best to worst, for every chart: the console's
 * result bars and grade charts, the public results page and the committee's PDF. A chart
 * colours a value by its rank, so 优秀 and 好 share a colour and 不称职 and 差 share another.
 *
 * Two vocabularies share the scale and rank differently:
 * - ballot ratings (shared/forms.ts options): 优秀/称职/基本称职/不称职 and 好/较好/一般/差;
 * - final grades (shared/grading/glossary.ts): 优秀/称职/基本称职/不称职/不定等次 and 优秀/良好/一般/较差.
 * 'good' is rank 0 as a team rating (好) but rank 1 as a team grade (良好), hence two tables.
 *
 * Every colour has at least 4.1:1 contrast on white (WCAG non-text 3:1, with room for the
 * console's #f4f6f9 page background); neighbouring segments are told apart by a white gap and
 * a legend, not by hue alone. PRINT_SCALE is the black-and-white twin for paper.
 */

/** 0 best … 3 worst. */
export type RatingRank = 0 | 1 | 2 | 3;

/** Ballot rating values of the overall question, best first, per form kind. */
export const CADRE_RATINGS = ['excellent', 'competent', 'basically_competent', 'incompetent'] as const;
export const TEAM_RATINGS = ['good', 'fairly_good', 'average', 'poor'] as const;
export type RatingValue = (typeof CADRE_RATINGS)[number] | (typeof TEAM_RATINGS)[number];

export const RATING_RANK: Readonly<Record<RatingValue, RatingRank>> = {
  excellent: 0, competent: 1, basically_competent: 2, incompetent: 3,
  good: 0, fairly_good: 1, average: 2, poor: 3,
};

export function isRatingValue(value: string): value is RatingValue {
  return Object.hasOwn(RATING_RANK, value);
}

/** Final grades, best first, per subject kind; 不定等次 last and unranked (it is no judgement). */
export const CADRE_GRADE_ORDER = ['excellent', 'competent', 'basically_competent', 'incompetent', 'undetermined'] as const satisfies readonly Grade[];
export const TEAM_GRADE_ORDER = ['excellent', 'good', 'average', 'poor'] as const satisfies readonly Grade[];

/** Rank of a grade; null for 不定等次, which is drawn in NEUTRAL_COLOUR. */
export const GRADE_RANK: Readonly<Record<Grade, RatingRank | null>> = {
  excellent: 0, good: 1, competent: 1, average: 2, basically_competent: 2, poor: 3, incompetent: 3, undetermined: null,
};

export function gradeOrderOf(kind: 'team' | 'cadre'): readonly Grade[] {
  return kind === 'team' ? TEAM_GRADE_ORDER : CADRE_GRADE_ORDER;
}

/** Screen colours by rank: dark blue, blue, amber, dark red (blue→red stays readable to red-green colour-blind eyes). */
export const RANK_COLOURS: readonly [string, string, string, string] = ['#1d4f91', '#3b7dd8', '#b45309', '#9b1c1c'];
/** 不定等次 and anything else without a rank. */
export const NEUTRAL_COLOUR = '#6b7280';

export type PrintPattern = 'solid' | 'hatch' | 'dots' | 'crosshatch';
export interface PrintSwatch {
  /** Grey fill; patterns are drawn over it in black. */
  fill: string;
  pattern: PrintPattern;
}
/** Black-and-white twin by rank, legible on a monochrome printer: darkness and pattern both change. */
export const PRINT_SCALE: readonly [PrintSwatch, PrintSwatch, PrintSwatch, PrintSwatch] = [
  { fill: '#222222', pattern: 'solid' },
  { fill: '#888888', pattern: 'solid' },
  { fill: '#dddddd', pattern: 'hatch' },
  { fill: '#ffffff', pattern: 'crosshatch' },
];
export const PRINT_NEUTRAL: PrintSwatch = { fill: '#ffffff', pattern: 'dots' };

export function rankColour(rank: RatingRank | null): string {
  return rank === null ? NEUTRAL_COLOUR : RANK_COLOURS[rank];
}

export function rankPrint(rank: RatingRank | null): PrintSwatch {
  return rank === null ? PRINT_NEUTRAL : PRINT_SCALE[rank];
}

export const ratingColour = (value: RatingValue): string => rankColour(RATING_RANK[value]);
export const gradeColour = (grade: Grade): string => rankColour(GRADE_RANK[grade]);
