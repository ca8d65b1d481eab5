import type { GradingPolicy } from '../../../shared/grading/policy';
import type { Category, Grade, SubjectKind } from '../../../shared/grading/types';
import { gradeColour, gradeOrderOf } from '../../../shared/rating-scale';
import type { SubjectResult } from '../api-types';
import { inRange, type GradeFilters } from './grading';

/**
 * The numbers behind the grading page's charts: which subjects the charts cover, the composite
 * histogram with its band edges and quota line, and grade counts per category beside the
 * previous year's. Pure, so a test can read them without a browser.
 */

/** The charts cover the chosen pool (or every pool); the other filters narrow the list only, so a chart does not change under its own click. */
export function chartScope<S extends Pick<SubjectResult, 'poolId'>>(subjects: readonly S[], f: Pick<GradeFilters, 'pool'>): S[] {
  return subjects.filter((s) => !f.pool || s.poolId === f.pool);
}

export const BIN_WIDTH = 5;

export interface Bin {
  from: number;
  to: number;
  count: number;
}

/** 5-point bars from the lowest composite's ten down to 100; subjects without a composite are not counted. */
export function compositeBins(subjects: readonly Pick<SubjectResult, 'scores'>[]): Bin[] {
  const scores = subjects.map((s) => s.scores.composite).filter((c): c is number => c !== null);
  if (scores.length === 0) return [];
  const lo = Math.min(90, Math.floor(Math.min(...scores) / 10) * 10);
  const bins: Bin[] = [];
  for (let from = lo; from < 100; from += BIN_WIDTH) {
    const range = { from, to: from + BIN_WIDTH };
    bins.push({ ...range, count: scores.filter((c) => inRange(c, range)).length });
  }
  return bins;
}

/** The band edges of the policy (GRADING.md §5.6), highest first. */
export function bandEdges(policy: Pick<GradingPolicy, 'bands'>): number[] {
  return [policy.bands.excellent, policy.bands.middle, policy.bands.low];
}

/**
 * The quota line of one pool: the composite of the subject ranked at the quota (the pool's
 * number of 优秀 places). Subjects above it are inside the quota on score alone; the bars of
 * GRADING.md §5 may still keep one out. Null without a quota or with fewer subjects scored.
 */
export function quotaLine(subjects: readonly Pick<SubjectResult, 'scores'>[], quota: number): number | null {
  const ranked = subjects.map((s) => s.scores.composite).filter((c): c is number => c !== null).sort((a, b) => b - a);
  if (quota < 1 || ranked.length < quota) return null;
  return ranked[quota - 1]!;
}

export interface GradeRow {
  grade: Grade;
  colour: string;
  current: number;
  previous?: number;
}

export interface CategoryCounts {
  kind: SubjectKind;
  category: Category;
  rows: GradeRow[];
}

type Graded = Pick<SubjectResult, 'kind' | 'category' | 'finalGrade' | 'poolId'>;

/**
 * Final grades per kind and category of the subjects in scope, every grade of the kind listed
 * (zeros too), beside the same category's counts in the previous year's published result,
 * when there is one.
 */
export function categoryCounts(current: readonly Graded[], previous: readonly Graded[] | null): CategoryCounts[] {
  const keys = new Map<string, { kind: SubjectKind; category: Category }>();
  for (const s of current) keys.set(`${s.kind}:${s.category}`, { kind: s.kind, category: s.category });
  const count = (list: readonly Graded[], kind: SubjectKind, category: Category, grade: Grade) =>
    list.filter((s) => s.kind === kind && s.category === category && s.finalGrade === grade).length;
  return [...keys.values()].map(({ kind, category }) => ({
    kind,
    category,
    rows: gradeOrderOf(kind).map((grade) => ({
      grade,
      colour: gradeColour(grade),
      current: count(current, kind, category, grade),
      ...(previous ? { previous: count(previous, kind, category, grade) } : {}),
    })),
  }));
}
