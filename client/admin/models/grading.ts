import { ERROR_MESSAGES, type ErrorCode } from '../../../shared/errors';
import { GRADE_CODES } from '../../../shared/grading-api';
import { CATEGORY_LABELS, gradesOf, TYPE_LABELS } from '../../../shared/grading/glossary';
import { applyOverride } from '../../../shared/grading/override';
import type { Category, Grade, GradingResult, SubjectResult, SubjectType } from '../../../shared/grading/types';
import { bi, type Bilingual } from './text';

/**
 * The grading page (等次评定): which subjects the filters show, what the grade dialog may
 * save, and the names of pools, categories and roles. The dialog checks an override with
 * the engine's own applyOverride, so it refuses what the server would refuse, in its words.
 */

export interface GradeFilters {
  kind: '' | 'team' | 'cadre';
  category: '' | Category;
  grade: '' | Grade;
  only: '' | 'adjusted' | 'flagged';
  search: string;
  /** One pool's subjects (a pool id), chosen above the charts. */
  pool: string;
  /** A histogram bar clicked: composites in [from, to), or up to and including 100 for the top bar. */
  composite: { from: number; to: number } | null;
}

export const NO_FILTERS: GradeFilters = { kind: '', category: '', grade: '', only: '', search: '', pool: '', composite: null };

/** Whether a composite falls in a histogram bar's range (the last bar, ending at 100, includes 100). */
export function inRange(composite: number | null, range: { from: number; to: number }): boolean {
  return composite !== null && composite >= range.from && (composite < range.to || (range.to >= 100 && composite <= range.to));
}

export function matchesFilters(s: SubjectResult, f: GradeFilters): boolean {
  if (f.kind && s.kind !== f.kind) return false;
  if (f.category && s.category !== f.category) return false;
  if (f.grade && s.finalGrade !== f.grade) return false;
  if (f.only === 'adjusted' && !s.override) return false;
  if (f.only === 'flagged' && s.voteFlags.length === 0) return false;
  if (f.pool && s.poolId !== f.pool) return false;
  if (f.composite && !inRange(s.scores.composite, f.composite)) return false;
  const q = f.search.trim();
  return !q || s.name.includes(q) || s.key.includes(q) || s.poolId.includes(q);
}

/** Another kind lists other grades, so a grade chosen for the last kind is dropped. */
export function withKind(f: GradeFilters, kind: GradeFilters['kind']): GradeFilters {
  return { ...f, kind, grade: '' };
}

/** The grades the grade filter offers: those of the chosen kind, or every grade. */
export function gradeChoices(kind: GradeFilters['kind']): readonly Grade[] {
  return kind ? gradesOf(kind) : GRADE_CODES;
}

export const CATEGORIES = Object.keys(CATEGORY_LABELS) as Category[];

export function categoryName(category: string): Bilingual {
  return CATEGORY_LABELS[category as Category] ?? bi(category, category);
}

/** A pool id (team:city_1, principal:dept_other, deputy:<team key>) in words. */
export function poolName(poolId: string, teamNames?: ReadonlyMap<string, string>): Bilingual {
  const at = poolId.indexOf(':');
  const head = poolId.slice(0, at);
  const rest = poolId.slice(at + 1);
  const type = TYPE_LABELS[rest as SubjectType];
  const what = type ?? bi(teamNames?.get(rest) ?? rest, teamNames?.get(rest) ?? rest);
  if (head === 'team') return bi(`${what.zh}班子`, `teams: ${what.en}`);
  if (head === 'principal') return bi(`${what.zh}正职`, `principals: ${what.en}`);
  if (head === 'deputy') return bi(`${what.zh}副职`, `deputies of ${what.en}`);
  return bi(poolId, poolId);
}

export function roleName(s: Pick<SubjectResult, 'kind' | 'role'>): Bilingual {
  if (s.kind === 'team') return bi('班子', 'team');
  return s.role === 'principal' ? bi('正职', 'principal') : bi('副职', 'deputy');
}

/** Team key → name, for naming the deputy pools of each team. */
export function teamNamesOf(subjects: readonly { kind: string; key: string; name: string }[]): Map<string, string> {
  return new Map(subjects.filter((s) => s.kind === 'team').map((s) => [s.key, s.name]));
}

/** The grounds the engine gave; an override's own reason is shown apart, beside the final grade. */
export function gradeGrounds(s: SubjectResult): SubjectResult['reasons'] {
  return s.reasons.filter((r) => r.rule !== 'override');
}

/**
 * Why the server would refuse this override, in the server's words (shared/errors.ts), or
 * null when it would be saved: a blank reason, or a grade the subject's kind does not have.
 */
export function overrideRefusal(result: GradingResult, subjectKey: string, grade: Grade, reason: string): Bilingual | null {
  const outcome = applyOverride(result, subjectKey, grade, reason);
  if (outcome.ok) return null;
  // The server answers a subject it does not know with 404 unknown_subject (services/grading).
  const code: ErrorCode = outcome.error.code === 'subject_not_found' ? 'unknown_subject' : outcome.error.code;
  return ERROR_MESSAGES[code];
}

/** The run with one subject replaced by the server's answer to an override. */
export function withSubject<R extends { result: GradingResult }>(run: R, changed: SubjectResult): R {
  return { ...run, result: { ...run.result, subjects: run.result.subjects.map((s) => (s.key === changed.key ? changed : s)) } };
}
