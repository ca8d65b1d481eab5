import type { AssessmentInput, Subject } from '../../shared/grading';

/**
 * Builders for the tests: every component equal to `score`, so the composite is `score`
 * and a test can speak in composites. `extra` is merged over the defaults.
 */
export function team(key: string, score: number, extra: Partial<Subject> = {}): Subject {
  return {
    key, kind: 'team', name: `班子${key}`, category: 'department', type: 'dept_economic',
    components: {
      routine: { quarterly: [score] },
      performance: { score },
      democratic: { score, excellentRate: 0.5, competentOrAboveRate: 0.95, incompetentRate: 0.01 },
      departmentEvaluations: [{ evaluatorKey: 'eval-a', score }],
      politicalQuality: 95,
      ...extra.components,
    },
    ...withoutComponents(extra),
  };
}

export function cadre(key: string, score: number, extra: Partial<Subject> = {}): Subject {
  return {
    key, kind: 'cadre', name: `干部${key}`, category: 'department', type: 'dept_economic', teamKey: 'T', role: 'deputy',
    components: {
      routine: { quarterly: [score] },
      performance: { score },
      democratic: { score, excellentRate: 0.5, competentOrAboveRate: 0.95, incompetentRate: 0.01 },
      superior: score,
      politicalQuality: 95,
      ...extra.components,
    },
    ...withoutComponents(extra),
  };
}

function withoutComponents(extra: Partial<Subject>): Partial<Subject> {
  const { components: _ignored, ...rest } = extra;
  return rest;
}

export function assessment(subjects: Subject[]): AssessmentInput {
  return { id: 'test', year: 2019, subjects };
}
