import { fmt, reason } from '../reason';
import type { Reason } from '../types';

/** §5.7 The number of 优秀 a pool may have: floor(share × size). */
export function quotaSize(poolSize: number, share: number): number {
  // The epsilon keeps 0.2 × 15 at 3 despite binary floating point.
  return Math.floor(poolSize * share + 1e-9);
}

export interface QuotaCandidate {
  key: string;
  composite: number;
  excellentRate: number;
  routine: number;
}

/** Rank: composite, then 优秀率, then 平时考核; the key last, only so the order is total. */
export function compareForQuota(a: QuotaCandidate, b: QuotaCandidate): number {
  return b.composite - a.composite || b.excellentRate - a.excellentRate || b.routine - a.routine || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
}

export interface QuotaOutcome {
  key: string;
  excellent: boolean;
  reason: Reason;
}

/**
 * The eligible of one pool, ranked; the first `slots` get 优秀, the others the next grade.
 * `taken` are 优秀 already fixed in the pool (forced grades), which use up slots first.
 */
export function allocateQuota(candidates: readonly QuotaCandidate[], quota: number, taken: number): QuotaOutcome[] {
  const slots = Math.max(0, quota - taken);
  const ranked = [...candidates].sort(compareForQuota);
  return ranked.map((c, i) => {
    const rank = i + 1;
    const of = `${rank}/${ranked.length}`;
    if (i < slots) {
      return { key: c.key, excellent: true, reason: reason('quota', 'within', `综合得分${fmt(c.composite)},在评优资格人选中排第${of},在优秀名额${quota}个之内`, `composite ${fmt(c.composite)}, ranked ${of} of the eligible, within the quota of ${quota}`) };
    }
    const why = taken > 0 ? `(其中${Math.min(taken, quota)}个已由确定的优秀占用)` : '';
    const whyEn = taken > 0 ? ` (${Math.min(taken, quota)} taken by forced excellent grades)` : '';
    return { key: c.key, excellent: false, reason: reason('quota', 'beyond', `综合得分${fmt(c.composite)},排第${of},超出优秀名额${quota}个${why}`, `composite ${fmt(c.composite)}, ranked ${of}, beyond the quota of ${quota}${whyEn}`) };
  });
}
