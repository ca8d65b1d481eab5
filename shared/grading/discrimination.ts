import type { GradingPolicy } from './policy';
import type { EvaluatorSpread, Subject } from './types';

/**
 * §2 Discrimination check of 部门评价 [seed: spreads of 10 to 20+ points showed 区分度]: an
 * evaluator who rated two or more subjects with a spread under the policy minimum is
 * flagged for review. Sorted by evaluator key.
 */
export function evaluatorSpreads(subjects: readonly Subject[], policy: GradingPolicy): EvaluatorSpread[] {
  const byEvaluator = new Map<string, number[]>();
  for (const subject of subjects) {
    for (const { evaluatorKey, score } of subject.components.departmentEvaluations ?? []) {
      const scores = byEvaluator.get(evaluatorKey);
      if (scores === undefined) byEvaluator.set(evaluatorKey, [score]);
      else scores.push(score);
    }
  }
  const spreads: EvaluatorSpread[] = [];
  for (const [evaluatorKey, scores] of byEvaluator) {
    const min = Math.min(...scores);
    const max = Math.max(...scores);
    const spread = Math.round((max - min) * 100) / 100;
    spreads.push({ evaluatorKey, rated: scores.length, min, max, spread, flagged: scores.length >= 2 && spread < policy.discriminationMinSpread });
  }
  return spreads.sort((a, b) => (a.evaluatorKey < b.evaluatorKey ? -1 : 1));
}
