import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, evaluatorSpreads } from '../../shared/grading';
import { team } from './subjects';

const rated = (key: string, marks: Record<string, number>) =>
  team(key, 80, { components: { departmentEvaluations: Object.entries(marks).map(([evaluatorKey, score]) => ({ evaluatorKey, score })) } });

describe('部门评价 discrimination check (§2)', () => {
  it('flags an evaluator whose marks spread less than 10 points, not one spreading 10 or more', () => {
    const subjects = [rated('a', { flat: 85, keen: 70 }), rated('b', { flat: 88, keen: 95 }), rated('c', { flat: 86, keen: 80 })];
    expect(evaluatorSpreads(subjects, DEFAULT_POLICY)).toEqual([
      { evaluatorKey: 'flat', rated: 3, min: 85, max: 88, spread: 3, flagged: true },
      { evaluatorKey: 'keen', rated: 3, min: 70, max: 95, spread: 25, flagged: false },
    ]);
  });

  it('does not flag an evaluator who rated a single subject', () => {
    expect(evaluatorSpreads([rated('a', { once: 85 })], DEFAULT_POLICY)[0]?.flagged).toBe(false);
  });
});
