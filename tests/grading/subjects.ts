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

/**
 * A subject among four peers of its pool scoring 80: a pool of five has a 20% quota of
 * one, so a lone eligible subject can reach 优秀 (a pool of one never can).
 */
export function amongPeers(subject: Subject): AssessmentInput {
  const peer = subject.kind === 'team' ? team : cadre;
  const peers = Array.from({ length: 4 }, (_, i) => peer(`peer${i}`, 80, { type: subject.type, ...(subject.teamKey !== undefined ? { teamKey: subject.teamKey } : {}), ...(subject.role !== undefined ? { role: subject.role } : {}) }));
  return assessment([subject, ...peers]);
}
