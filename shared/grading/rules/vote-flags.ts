import type { GradingPolicy } from '../policy';
import type { DemocraticTest, VoteFlag } from '../types';

const pct = (rate: number): string => `${Math.round(rate * 1000) / 10}%`;

/** §5.5 Vote flags: shown beside the grade for the committee's review; they change nothing. */
export function voteFlags(test: DemocraticTest | undefined, policy: GradingPolicy): VoteFlag[] {
  if (test === undefined) return [];
  const flags: VoteFlag[] = [];
  const { incompetentRateAbove, competentOrAboveRateBelow } = policy.voteFlags;
  if (test.incompetentRate > incompetentRateAbove) {
    flags.push({ code: 'incompetent_rate_high', rate: test.incompetentRate, zh: `不称职率${pct(test.incompetentRate)},超过${pct(incompetentRateAbove)}`, en: `incompetent rate ${pct(test.incompetentRate)} over ${pct(incompetentRateAbove)}` });
  }
  if (test.competentOrAboveRate < competentOrAboveRateBelow) {
    flags.push({ code: 'competent_or_above_rate_low', rate: test.competentOrAboveRate, zh: `称职以上率${pct(test.competentOrAboveRate)},低于${pct(competentOrAboveRateBelow)}`, en: `competent-or-above rate ${pct(test.competentOrAboveRate)} under ${pct(competentOrAboveRateBelow)}` });
  }
  return flags;
}
