import { POVERTY_INDICATOR } from '../composite';
import type { ComponentInputs, DemocraticTest, PerformanceIndicator, SubjectKind, SubjectType } from '../types';

/**
 * Component scores around a target T. Every component lies within ±0.6 of T, so the
 * composite (a weighted mean) does too: targets are chosen well inside the bands
 * (≥ 91.5 for the eligible, 77-88 for the middle band), so noise never moves a band.
 */
export type Rng = () => number;

export const between = (rng: Rng, lo: number, hi: number): number => lo + (hi - lo) * rng();
const noisy = (rng: Rng, t: number): number => Math.round((t + between(rng, -0.6, 0.6)) * 100) / 100;
const clamp = (x: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, x));
const r3 = (x: number): number => Math.round(x * 1000) / 1000;

/** Type-specific 工作实绩 indicators and weights (§3), simplified. */
const INDICATORS: Record<SubjectType, [string, number][]> = {
  city_1: [['high_quality_development', 40], ['green_industries', 30], ['ecology', 30]],
  city_2: [['poverty_alleviation', 40], ['high_quality_development', 20], ['green_industries', 20], ['ecology', 20]],
  city_3: [['poverty_alleviation', 40], ['ecology', 30], ['ethnic_religious_work', 30]],
  dept_comprehensive: [['core_duties', 60], ['coordination', 40]],
  dept_economic: [['core_duties', 50], ['economic_targets', 50]],
  dept_social: [['core_duties', 60], ['public_services', 40]],
  dept_other: [['core_duties', 70], ['service', 30]],
  inst_university: [['teaching_research', 60], ['discipline_building', 40]],
  inst_other: [['core_duties', 70], ['service', 30]],
  ent_industry: [['profit', 50], ['asset_growth', 30], ['reform', 20]],
  ent_finance: [['profit', 40], ['risk_control', 40], ['reform', 20]],
  ent_culture: [['social_benefit', 50], ['profit', 30], ['reform', 20]],
  poverty_county: [[POVERTY_INDICATOR, 50], ['development', 30], ['ecology', 20]],
  county: [['development', 60], ['ecology', 40]],
};

export function democraticTest(rng: Rng, t: number, override: Partial<DemocraticTest> = {}): DemocraticTest {
  return {
    score: noisy(rng, t),
    excellentRate: r3(clamp(0.15 + (t - 75) * 0.035 + between(rng, -0.03, 0.03), 0.01, 0.97)),
    competentOrAboveRate: r3(clamp(0.9 + (t - 75) * 0.005, 0.5, 1)),
    incompetentRate: r3(clamp(0.02 - (t - 75) * 0.001, 0, 0.05)),
    ...override,
  };
}

export interface ComponentOptions {
  plenary?: boolean;
  evaluators?: { evaluatorKey: string; score?: number }[];
  politicalQuality?: number;
  democratic?: Partial<DemocraticTest>;
}

export function componentsAround(rng: Rng, kind: SubjectKind, type: SubjectType, t: number, opts: ComponentOptions = {}): ComponentInputs {
  const inputs: ComponentInputs = {
    routine: { quarterly: [noisy(rng, t), noisy(rng, t), noisy(rng, t), noisy(rng, t)] },
    democratic: democraticTest(rng, t, opts.democratic),
    politicalQuality: opts.politicalQuality ?? Math.round(between(rng, 92, 99) * 10) / 10,
  };
  if (kind === 'team') {
    const indicators: PerformanceIndicator[] = INDICATORS[type].map(([code, weight]) => ({ code, weight, score: noisy(rng, t) }));
    inputs.performance = { indicators };
    inputs.departmentEvaluations = (opts.evaluators ?? []).map((e) => ({ evaluatorKey: e.evaluatorKey, score: e.score ?? noisy(rng, t) }));
  } else {
    inputs.performance = { score: noisy(rng, t) };
    inputs.superior = noisy(rng, t);
    if (opts.plenary === true) inputs.plenary = noisy(rng, t);
  }
  return inputs;
}
