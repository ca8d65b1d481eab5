import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, POVERTY_INDICATOR, scoreSheet } from '../../shared/grading';

describe('composite score (§4)', () => {
  it('weighs a cadre 平时考核 40, 民主测评 30, 工作实绩 20, 上级评价 10', () => {
    const sheet = scoreSheet('cadre', {
      routine: { quarterly: [90, 80] }, // averaged: 85
      democratic: { score: 90, excellentRate: 0.5, competentOrAboveRate: 1, incompetentRate: 0 },
      performance: { score: 70 },
      superior: 100,
    }, undefined, DEFAULT_POLICY);
    expect(sheet.components.routine).toBe(85);
    expect(sheet.composite).toBe((85 * 40 + 90 * 30 + 70 * 20 + 100 * 10) / 100);
  });

  it('renormalises the weights over the components present', () => {
    const sheet = scoreSheet('team', { routine: { quarterly: [80] }, performance: { score: 90 } }, undefined, DEFAULT_POLICY);
    expect(sheet.composite).toBe(84.29); // (80 × 40 + 90 × 30) / 70, published with two decimals
  });

  it('averages the 省委全会测评 score into 民主测评', () => {
    const sheet = scoreSheet('cadre', {
      democratic: { score: 80, excellentRate: 0, competentOrAboveRate: 1, incompetentRate: 0 }, plenary: 90,
    }, undefined, DEFAULT_POLICY);
    expect(sheet.components.democratic).toBe(85);
    expect(sheet.composite).toBe(85);
  });

  it('counts a poverty county rated 好 as 100 and 较好 as 85 in 工作实绩', () => {
    const indicators = [{ code: POVERTY_INDICATOR, score: 60, weight: 50 }, { code: 'development', score: 80, weight: 50 }];
    expect(scoreSheet('team', { performance: { indicators } }, 'good', DEFAULT_POLICY).components.performance).toBe(90);
    expect(scoreSheet('team', { performance: { indicators } }, 'fairly_good', DEFAULT_POLICY).components.performance).toBe(82.5);
    expect(scoreSheet('team', { performance: { score: 70 } }, 'fairly_good', DEFAULT_POLICY).components.performance).toBe(85);
    expect(scoreSheet('team', { performance: { indicators } }, 'average', DEFAULT_POLICY).components.performance).toBe(70);
  });

  it('averages 部门评价 over the evaluators and has no composite without components', () => {
    const sheet = scoreSheet('team', { departmentEvaluations: [{ evaluatorKey: 'a', score: 70 }, { evaluatorKey: 'b', score: 90 }] }, undefined, DEFAULT_POLICY);
    expect(sheet.components.department).toBe(80);
    expect(scoreSheet('cadre', {}, undefined, DEFAULT_POLICY).composite).toBeNull();
  });
});
