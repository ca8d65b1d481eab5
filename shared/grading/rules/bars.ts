import type { GradingPolicy } from '../policy';
import { fmt, reason } from '../reason';
import type { Grade, Reason, Subject } from '../types';

/**
 * §5.4 Bars on 优秀: each keeps the subject out of 优秀 whatever its score. The team grade
 * is the graded team's (teams are graded before their cadres).
 */
export function excellenceBars(subject: Subject, teamGrade: Grade | undefined, policy: GradingPolicy): Reason[] {
  const facts = subject.facts ?? {};
  const reasons: Reason[] = [];
  const pq = subject.components.politicalQuality;
  if (pq !== undefined && pq < policy.politicalQualityMin) {
    reasons.push(reason('bars', 'political_quality', `政治素质测评得分${fmt(pq)},低于${policy.politicalQualityMin}分,取消评优资格`, `political quality ${fmt(pq)} under ${policy.politicalQualityMin}: barred from excellent`));
  }
  if ((facts.vetoItems ?? []).length > 0) {
    reasons.push(reason('bars', 'veto', '存在"一票否决"事项,不得评为优秀', 'one-vote veto item: barred from excellent'));
  }
  if (facts.admonished === true) {
    reasons.push(reason('bars', 'admonished', '诫勉影响期内,不得评为优秀', 'admonishment in effect: barred from excellent'));
  }
  if (facts.heldAccountable === true) {
    reasons.push(reason('bars', 'held_accountable', '问责影响期内,不得评为优秀', 'accountability measure in effect: barred from excellent'));
  }
  if (subject.kind === 'cadre' && subject.role === 'principal' && (teamGrade === 'average' || teamGrade === 'poor')) {
    reasons.push(reason('bars', 'team_graded_low', '所在班子评为一般及以下,主要负责人不得评为优秀', 'team graded average or below: principal barred from excellent'));
  }
  return reasons;
}
