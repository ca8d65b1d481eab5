import { reason } from '../reason';
import type { Reason, Subject } from '../types';

/**
 * §5.3 Downgrades of a team [seed]: each reason lowers the grade by the policy's steps and
 * bars 优秀. The engine sums the steps; the reasons say why.
 */
export function downgradeReasons(subject: Subject): Reason[] {
  if (subject.kind !== 'team') return [];
  const facts = subject.facts ?? {};
  const reasons: Reason[] = [];
  for (const item of facts.vetoItems ?? []) {
    reasons.push(reason('downgrades', 'veto', `存在"一票否决"事项:${item}`, `one-vote veto item: ${item}`));
  }
  if (facts.summoned === true && facts.bottomRankedInDevelopment === true) {
    reasons.push(reason('downgrades', 'bottom_ranked_and_summoned', '全年高质量发展总体排名靠后且被约谈', 'ranked at the bottom of high-quality development and summoned'));
  }
  if (facts.publiclyCriticised === true) {
    reasons.push(reason('downgrades', 'public_criticism', '被通报批评', 'publicly criticised'));
  }
  if ((facts.membersDisciplined ?? 0) > 0) {
    reasons.push(reason('downgrades', 'members_disciplined', `班子成员被组织处理、受党纪政务处分或立案审查(${facts.membersDisciplined}人)`, `team members disciplined, sanctioned or under investigation (${facts.membersDisciplined})`));
  }
  for (const problem of facts.otherSeriousProblems ?? []) {
    reasons.push(reason('downgrades', 'serious_problem', `存在其他突出问题:${problem}`, `other serious problem: ${problem}`));
  }
  return reasons;
}
