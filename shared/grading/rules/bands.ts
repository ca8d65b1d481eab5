import { GRADE_LABELS } from '../glossary';
import type { GradingPolicy } from '../policy';
import { fmt, reason } from '../reason';
import type { Grade, Reason, SubjectKind } from '../types';

/**
 * §5.6 Score bands: the provisional grade from the composite alone. 'excellent' here means
 * 优秀-eligible; the quota decides. A missing composite counts as 0 (and is an input issue).
 */
export function bandGrade(kind: SubjectKind, composite: number | null, policy: GradingPolicy): { grade: Grade; reason: Reason } {
  const score = composite ?? 0;
  const { excellent, middle, low } = policy.bands;
  const rungs: Grade[] = kind === 'team' ? ['excellent', 'good', 'average', 'poor'] : ['excellent', 'competent', 'basically_competent', 'incompetent'];
  const at = score >= excellent ? 0 : score >= middle ? 1 : score >= low ? 2 : 3;
  const grade = rungs[at] ?? 'poor';
  const zh = [`${excellent}分及以上`, `${middle}分至不足${excellent}分`, `${low}分至不足${middle}分`, `不足${low}分`][at] ?? '';
  const en = [`≥ ${excellent}`, `${middle} to under ${excellent}`, `${low} to under ${middle}`, `under ${low}`][at] ?? '';
  const label = GRADE_LABELS[grade];
  return at === 0
    ? { grade, reason: reason('bands', 'excellent_eligible', `综合得分${fmt(score)}(${zh}),具备评优资格`, `composite ${fmt(score)} (${en}): eligible for excellent`) }
    : { grade, reason: reason('bands', grade, `综合得分${fmt(score)}(${zh}),对应${label.zh}`, `composite ${fmt(score)} (${en}): ${label.en}`) };
}
