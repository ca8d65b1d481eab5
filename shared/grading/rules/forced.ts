import { GRADE_LABELS, POVERTY_RESULT_LABELS } from '../glossary';
import type { GradingPolicy } from '../policy';
import { reason } from '../reason';
import type { Grade, PovertyResult, Reason, Subject, TeamGrade } from '../types';
import { SANCTION_LABELS } from '../glossary';

export interface ForcedGrade {
  grade: Grade;
  /** Final grades skip the later rules; a principal's forced 优秀 still meets the bars. */
  final: boolean;
  reason: Reason;
}

/** 贫困县领导班子的考核结果与脱贫攻坚成效考核结果保持一致 [seed]. */
const TEAM_GRADE_OF_POVERTY_RESULT = {
  good: 'excellent',
  fairly_good: 'good',
  average: 'average',
  poor: 'poor',
} as const satisfies Record<PovertyResult, TeamGrade>;

/** §5.2 Forced grades: sanctions mapped to 不称职, poverty-county teams, principals of counties rated 好. */
export function forcedGrade(subject: Subject, team: Subject | undefined, policy: GradingPolicy): ForcedGrade | undefined {
  if (subject.kind === 'cadre') {
    const sanction = (subject.facts?.sanctions ?? []).find((s) => policy.incompetentSanctions.includes(s));
    if (sanction !== undefined) {
      return {
        grade: 'incompetent',
        final: true,
        reason: reason('forced', 'sanction_incompetent', `受到${SANCTION_LABELS[sanction].zh}处理,定为不称职`, `${sanction.replaceAll('_', ' ')}: incompetent`),
      };
    }
    if (subject.role === 'principal' && team?.povertyCounty === true && team.povertyResult === 'good') {
      return {
        grade: 'excellent',
        final: false,
        reason: reason('forced', 'poverty_county_principal', '所在贫困县脱贫攻坚成效考核结果为好,党政正职原则上评定为优秀', 'principal of a poverty county rated good: proposed excellent'),
      };
    }
    return undefined;
  }
  if (subject.povertyCounty === true && subject.povertyResult !== undefined) {
    const grade = TEAM_GRADE_OF_POVERTY_RESULT[subject.povertyResult];
    const result = POVERTY_RESULT_LABELS[subject.povertyResult];
    return {
      grade,
      final: true,
      reason: reason('forced', 'poverty_result', `脱贫攻坚成效考核结果为${result.zh},班子等次与之保持一致(${GRADE_LABELS[grade].zh})`, `poverty alleviation rated ${result.en}: team graded ${GRADE_LABELS[grade].en}`),
    };
  }
  return undefined;
}
