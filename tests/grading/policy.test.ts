import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, validatePolicy, type GradingPolicy } from '../../shared/grading';

const withQuota = (quota: Partial<GradingPolicy['quota']>): GradingPolicy => ({ ...DEFAULT_POLICY, quota: { ...DEFAULT_POLICY.quota, ...quota } });

describe('the grading policy', () => {
  it('is valid by default, with an id and version the result records', () => {
    expect(validatePolicy(DEFAULT_POLICY)).toEqual([]);
    expect(DEFAULT_POLICY).toMatchObject({ id: 'gansu-2019', version: 1, quota: { defaultShare: 0.2 }, politicalQualityMin: 90 });
  });

  it('refuses a quota over 25% for any pool', () => {
    expect(validatePolicy(withQuota({ shareByPool: { 'team:city_1': 0.25 } }))).toEqual([]);
    expect(validatePolicy(withQuota({ shareByPool: { 'team:city_1': 0.3 } }))).toEqual([{ code: 'quota_share_invalid', path: 'quota.shareByPool.team:city_1' }]);
    expect(validatePolicy(withQuota({ defaultShare: 0.26 })).map((e) => e.code)).toEqual(['quota_share_invalid']);
    expect(validatePolicy(withQuota({ maxShare: 0.5 })).map((e) => e.path)).toEqual(['quota.maxShare']);
  });

  it('lists every problem at once: weights, bands, thresholds, steps', () => {
    const bad: GradingPolicy = {
      ...DEFAULT_POLICY, id: ' ', version: 0,
      weights: { team: { routine: -1 }, cadre: {} },
      bands: { excellent: 70, middle: 75, low: 60 },
      politicalQualityMin: 120, downgradeSteps: 1.5,
    };
    expect(validatePolicy(bad).map((e) => e.path)).toEqual([
      'id', 'version', 'weights.team', 'weights.cadre', 'bands', 'politicalQualityMin', 'downgradeSteps',
    ]);
  });
});
