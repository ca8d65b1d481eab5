import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, gradeAssessment } from '../../shared/grading';
import { assessment, cadre, team } from './subjects';

describe('gradeAssessment', () => {
  it('records the policy it graded under', () => {
    expect(gradeAssessment(assessment([]), DEFAULT_POLICY)).toMatchObject({ policyId: 'gansu-2019', policyVersion: 1, subjects: [] });
  });

  it('gives every subject its composite, pool, grades and reasons in the order of the rules', () => {
    const [subject] = gradeAssessment(assessment([team('t', 92, { facts: { publiclyCriticised: true } })]), DEFAULT_POLICY).subjects;
    expect(subject).toMatchObject({ scores: { composite: 92 }, poolId: 'team:dept_economic', provisionalGrade: 'excellent', proposedGrade: 'good', finalGrade: 'good' });
    expect(subject?.reasons.map((r) => r.rule)).toEqual(['downgrades', 'bands']);
    for (const r of subject?.reasons ?? []) expect(r.zh.length * r.en.length).toBeGreaterThan(0);
  });

  it('reports input issues without failing: duplicate keys, cadres without a role, subjects without scores', () => {
    const noRole = cadre('x', 80);
    delete noRole.role;
    const result = gradeAssessment(assessment([team('t', 80), team('t', 70), noRole, { ...cadre('e', 0), components: {} }]), DEFAULT_POLICY);
    expect(result.issues).toEqual([
      { code: 'duplicate_key', subjectKey: 't' }, { code: 'cadre_without_role', subjectKey: 'x' }, { code: 'no_component_scores', subjectKey: 'e' },
    ]);
    expect(result.subjects.map((s) => s.key)).toEqual(['t', 'x', 'e']);
  });

  it('gives the same result for the same input, in input order', () => {
    const input = assessment([cadre('b', 91), cadre('a', 91), cadre('c', 80)]);
    expect(gradeAssessment(input, DEFAULT_POLICY)).toEqual(gradeAssessment(input, DEFAULT_POLICY));
    expect(gradeAssessment(input, DEFAULT_POLICY).subjects.map((s) => s.key)).toEqual(['b', 'a', 'c']);
  });
});
