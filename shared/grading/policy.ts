import type { ComponentKey, PovertyResult, SanctionType, SubjectKind } from './types';

/**
 * A grading policy: every number of GRADING.md held as data, so an admin can change it
 * before grading and the result records which policy (id + version) produced it.
 */
export interface GradingPolicy {
  id: string;
  version: number;
  /** Composite weights per kind (§4); renormalised over the components present. */
  weights: Record<SubjectKind, Partial<Record<ComponentKey, number>>>;
  /** Lower bounds of the score bands (§5.6): ≥ excellent is 优秀-eligible. */
  bands: { excellent: number; middle: number; low: number };
  quota: {
    /** Share of a pool that may be 优秀, floored (default 20%). */
    defaultShare: number;
    /** Per-pool shares, by pool id (e.g. 'deputy:t-017'); none may exceed maxShare. */
    shareByPool: Record<string, number>;
    maxShare: number;
  };
  /** 政治素质测评 under this bars 优秀 [seed]. */
  politicalQualityMin: number;
  /** 脱贫攻坚成效 result → the score it counts for in 工作实绩 [seed]. */
  povertyPerformance: Partial<Record<PovertyResult, number>>;
  /** Grade steps each downgrade fact lowers a team (§5.3). */
  downgradeSteps: number;
  holds: { minMonthsInPost: number; maxLeaveMonths: number; sanctions: SanctionType[] };
  /** Sanctions that force 不称职. */
  incompetentSanctions: SanctionType[];
  voteFlags: { incompetentRateAbove: number; competentOrAboveRateBelow: number };
  /** Composite under this → 谈话提醒 [seed]. */
  reminderTalkBelow: number;
  /** 部门评价: an evaluator whose scores spread less than this is flagged [seed]. */
  discriminationMinSpread: number;
}

export const DEFAULT_POLICY: GradingPolicy = {
  id: 'gansu-2019',
  version: 1,
  weights: {
    cadre: { routine: 40, democratic: 30, performance: 20, superior: 10 },
    team: { routine: 40, performance: 30, democratic: 20, department: 10 },
  },
  bands: { excellent: 90, middle: 75, low: 60 },
  quota: { defaultShare: 0.2, shareByPool: {}, maxShare: 0.25 },
  politicalQualityMin: 90,
  povertyPerformance: { good: 100, fairly_good: 85 },
  downgradeSteps: 1,
  holds: { minMonthsInPost: 6, maxLeaveMonths: 6, sanctions: ['serious_warning', 'demerit'] },
  incompetentSanctions: ['removal_from_party_post', 'probation', 'dismissal'],
  voteFlags: { incompetentRateAbove: 1 / 3, competentOrAboveRateBelow: 2 / 3 },
  reminderTalkBelow: 80,
  discriminationMinSpread: 10,
};

/** The 优秀 share of one pool under the policy. */
export function quotaShare(policy: GradingPolicy, poolId: string): number {
  return policy.quota.shareByPool[poolId] ?? policy.quota.defaultShare;
}

export interface PolicyError {
  code:
    | 'id_missing' | 'version_invalid' | 'weights_invalid' | 'bands_invalid' | 'quota_share_invalid'
    | 'threshold_invalid' | 'downgrade_steps_invalid';
  path: string;
}

const isScore = (n: number): boolean => Number.isFinite(n) && n >= 0 && n <= 100;
const isRate = (n: number): boolean => Number.isFinite(n) && n >= 0 && n <= 1;

/** Every problem with a policy, so an admin sees them all at once; empty when usable. */
export function validatePolicy(policy: GradingPolicy): PolicyError[] {
  const errors: PolicyError[] = [];
  if (policy.id.trim() === '') errors.push({ code: 'id_missing', path: 'id' });
  if (!Number.isInteger(policy.version) || policy.version < 1) errors.push({ code: 'version_invalid', path: 'version' });
  for (const kind of ['team', 'cadre'] as const) {
    const weights = Object.values(policy.weights[kind]);
    const bad = weights.some((w) => !Number.isFinite(w) || w < 0);
    if (bad || weights.reduce((a, w) => a + w, 0) <= 0) errors.push({ code: 'weights_invalid', path: `weights.${kind}` });
  }
  const { excellent, middle, low } = policy.bands;
  if (![excellent, middle, low].every(isScore) || !(excellent > middle && middle > low)) {
    errors.push({ code: 'bands_invalid', path: 'bands' });
  }
  const { maxShare } = policy.quota;
  if (!isRate(maxShare) || maxShare > 0.25) errors.push({ code: 'quota_share_invalid', path: 'quota.maxShare' });
  const shares: [string, number][] = [['quota.defaultShare', policy.quota.defaultShare]];
  for (const [pool, share] of Object.entries(policy.quota.shareByPool)) shares.push([`quota.shareByPool.${pool}`, share]);
  for (const [path, share] of shares) {
    if (!isRate(share) || share > Math.min(maxShare, 0.25)) errors.push({ code: 'quota_share_invalid', path });
  }
  const scores: [string, number][] = [
    ['politicalQualityMin', policy.politicalQualityMin],
    ['reminderTalkBelow', policy.reminderTalkBelow],
    ...Object.entries(policy.povertyPerformance).map(([k, v]): [string, number] => [`povertyPerformance.${k}`, v]),
  ];
  for (const [path, value] of scores) if (!isScore(value)) errors.push({ code: 'threshold_invalid', path });
  const { incompetentRateAbove, competentOrAboveRateBelow } = policy.voteFlags;
  if (!isRate(incompetentRateAbove)) errors.push({ code: 'threshold_invalid', path: 'voteFlags.incompetentRateAbove' });
  if (!isRate(competentOrAboveRateBelow)) errors.push({ code: 'threshold_invalid', path: 'voteFlags.competentOrAboveRateBelow' });
  const { minMonthsInPost, maxLeaveMonths } = policy.holds;
  if (!(minMonthsInPost >= 0 && minMonthsInPost <= 12)) errors.push({ code: 'threshold_invalid', path: 'holds.minMonthsInPost' });
  if (!(maxLeaveMonths >= 0 && maxLeaveMonths <= 12)) errors.push({ code: 'threshold_invalid', path: 'holds.maxLeaveMonths' });
  if (!(policy.discriminationMinSpread >= 0 && policy.discriminationMinSpread <= 100)) {
    errors.push({ code: 'threshold_invalid', path: 'discriminationMinSpread' });
  }
  if (!Number.isInteger(policy.downgradeSteps) || policy.downgradeSteps < 0 || policy.downgradeSteps > 3) {
    errors.push({ code: 'downgrade_steps_invalid', path: 'downgradeSteps' });
  }
  return errors;
}
