import type { CadreGrade, Grade, PovertyResult, SubjectKind, TeamGrade } from './types';

/** Chinese and English labels of every grade code: the one place they are spelled. */
export const GRADE_LABELS = {
  excellent: { zh: '优秀', en: 'excellent' },
  good: { zh: '良好', en: 'good' },
  average: { zh: '一般', en: 'average' },
  poor: { zh: '较差', en: 'poor' },
  competent: { zh: '称职', en: 'competent' },
  basically_competent: { zh: '基本称职', en: 'basically competent' },
  incompetent: { zh: '不称职', en: 'incompetent' },
  undetermined: { zh: '不定等次', en: 'undetermined' },
} as const satisfies Record<Grade, { zh: string; en: string }>;

export const POVERTY_RESULT_LABELS = {
  good: { zh: '好', en: 'good' },
  fairly_good: { zh: '较好', en: 'fairly good' },
  average: { zh: '一般', en: 'average' },
  poor: { zh: '差', en: 'poor' },
} as const satisfies Record<PovertyResult, { zh: string; en: string }>;

/** Grades from best to worst; 不定等次 is not on the ladder. */
export const TEAM_LADDER: readonly TeamGrade[] = ['excellent', 'good', 'average', 'poor'];
export const CADRE_LADDER: readonly CadreGrade[] = ['excellent', 'competent', 'basically_competent', 'incompetent'];

export function ladder(kind: SubjectKind): readonly Grade[] {
  return kind === 'team' ? TEAM_LADDER : CADRE_LADDER;
}

export function gradesOf(kind: SubjectKind): readonly Grade[] {
  return kind === 'team' ? TEAM_LADDER : [...CADRE_LADDER, 'undetermined'];
}

/** The grade `steps` below `grade`, stopping at the bottom; off-ladder grades stay. */
export function lowerGrade(kind: SubjectKind, grade: Grade, steps: number): Grade {
  const rungs = ladder(kind);
  const at = rungs.indexOf(grade);
  if (at < 0) return grade;
  return rungs[Math.min(rungs.length - 1, at + Math.max(0, steps))] ?? grade;
}

export function label(grade: Grade): string {
  return GRADE_LABELS[grade].zh;
}
