import type { GradingPolicy } from './policy';
import type { ComponentKey, ComponentInputs, PovertyResult, ScoreSheet, SubjectKind } from './types';

/** The indicator code of 脱贫攻坚成效 within 工作实绩. */
export const POVERTY_INDICATOR = 'poverty_alleviation';

/** Scores are published with two decimals; bands and ranks read the published value. */
export const round2 = (n: number): number => Math.round(n * 100) / 100;

const mean = (xs: readonly number[]): number | undefined =>
  xs.length === 0 ? undefined : xs.reduce((a, x) => a + x, 0) / xs.length;

/** 平时考核: the mean of the quarterly (and other routine) entries. */
export function routineScore(inputs: ComponentInputs): number | undefined {
  return mean(inputs.routine?.quarterly ?? []);
}

/**
 * 工作实绩: the weighted mean of the indicators, or the given score. A poverty county's
 * 脱贫攻坚 result replaces its poverty indicator (好 counts 100, 较好 85 [seed]); with no
 * indicators the result stands for the whole performance score.
 */
export function performanceScore(
  inputs: ComponentInputs,
  povertyResult: PovertyResult | undefined,
  policy: GradingPolicy,
): number | undefined {
  const forced = povertyResult === undefined ? undefined : policy.povertyPerformance[povertyResult];
  const indicators = inputs.performance?.indicators ?? [];
  if (indicators.length > 0) {
    let sum = 0;
    let weight = 0;
    for (const ind of indicators) {
      const score = ind.code === POVERTY_INDICATOR && forced !== undefined ? forced : ind.score;
      sum += score * ind.weight;
      weight += ind.weight;
    }
    return weight > 0 ? sum / weight : undefined;
  }
  return forced ?? inputs.performance?.score;
}

/** 民主测评, with the 省委全会测评 score averaged in where present. */
export function democraticScore(inputs: ComponentInputs): number | undefined {
  const parts = [inputs.democratic?.score, inputs.plenary].filter((x): x is number => x !== undefined);
  return mean(parts);
}

export function departmentScore(inputs: ComponentInputs): number | undefined {
  return mean((inputs.departmentEvaluations ?? []).map((e) => e.score));
}

/** §4: weighted sum of the components present, weights renormalised over those present. */
export function scoreSheet(
  kind: SubjectKind,
  inputs: ComponentInputs,
  povertyResult: PovertyResult | undefined,
  policy: GradingPolicy,
): ScoreSheet {
  const raw: Record<ComponentKey, number | undefined> = {
    routine: routineScore(inputs),
    performance: performanceScore(inputs, povertyResult, policy),
    democratic: democraticScore(inputs),
    department: departmentScore(inputs),
    superior: inputs.superior,
  };
  const components: ScoreSheet['components'] = {};
  let sum = 0;
  let weight = 0;
  for (const [key, w] of Object.entries(policy.weights[kind]) as [ComponentKey, number][]) {
    const score = raw[key];
    if (score === undefined || w <= 0) continue;
    components[key] = round2(score);
    sum += score * w;
    weight += w;
  }
  return { components, composite: weight > 0 ? round2(sum / weight) : null };
}
