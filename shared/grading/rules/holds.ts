import { SANCTION_LABELS } from '../glossary';
import type { GradingPolicy } from '../policy';
import { reason } from '../reason';
import type { Reason, Subject } from '../types';

/** §5.1 Holds → 不定等次 (cadres only): any reason found holds the grade. */
export function holdReasons(subject: Subject, policy: GradingPolicy): Reason[] {
  if (subject.kind !== 'cadre') return [];
  const facts = subject.facts ?? {};
  const reasons: Reason[] = [];
  const { minMonthsInPost, maxLeaveMonths, sanctions } = policy.holds;
  if (facts.monthsInPost !== undefined && facts.monthsInPost < minMonthsInPost) {
    reasons.push(reason('holds', 'new_in_post', `任职不满${minMonthsInPost}个月`, `in post under ${minMonthsInPost} months`));
  }
  if (facts.leaveMonths !== undefined && facts.leaveMonths > maxLeaveMonths) {
    reasons.push(reason('holds', 'long_leave', `累计请假超过${maxLeaveMonths}个月`, `on leave over ${maxLeaveMonths} months`));
  }
  if (facts.openCase === true) {
    reasons.push(reason('holds', 'open_case', '已立案审查尚未结案', 'case opened and not concluded'));
  }
  for (const sanction of facts.sanctions ?? []) {
    if (sanctions.includes(sanction)) {
      reasons.push(reason('holds', `sanction_${sanction}`, `受到${SANCTION_LABELS[sanction].zh}处分`, `sanctioned: ${sanction.replaceAll('_', ' ')}`));
    }
  }
  return reasons;
}

