import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, gradeAssessment, type Subject } from '../../shared/grading';
import { assessment, cadre, team } from './subjects';

const excellentKeys = (subjects: Subject[], policy = DEFAULT_POLICY) =>
  gradeAssessment(assessment(subjects), policy).subjects.filter((s) => s.proposedGrade === 'excellent').map((s) => s.key);

describe('the quota (§5.7)', () => {
  it('gives 优秀 to at most floor(20%) of a pool, the rest of the eligible taking 良好', () => {
    const teams = Array.from({ length: 9 }, (_, i) => team(`t${i}`, 99 - i)); // all eligible; floor(1.8) = 1
    const result = gradeAssessment(assessment(teams), DEFAULT_POLICY);
    expect(result.subjects.map((s) => s.proposedGrade)).toEqual(['excellent', ...Array(8).fill('good')]);
    expect(result.pools).toEqual([expect.objectContaining({ id: 'team:dept_economic', size: 9, quota: 1, excellent: 1, eligible: 9 })]);
    expect(result.subjects[1]?.reasons.at(-1)?.code).toBe('quota.beyond');
  });

  it('counts the whole pool, eligible or not, for the quota', () => {
    const pool = [team('a', 95), team('b', 94), ...Array.from({ length: 8 }, (_, i) => team(`n${i}`, 80))];
    expect(excellentKeys(pool)).toEqual(['a', 'b']); // floor(0.2 × 10) = 2
  });

  it('applies the quota per pool: teams of another type do not compete', () => {
    const economic = Array.from({ length: 5 }, (_, i) => team(`e${i}`, 95 - i));
    const social = Array.from({ length: 5 }, (_, i) => team(`s${i}`, 91 - i, { type: 'dept_social' }));
    expect(excellentKeys([...economic, ...social])).toEqual(['e0', 's0']);
  });

  it('compares deputies only within their own team', () => {
    const teamA = Array.from({ length: 5 }, (_, i) => cadre(`a${i}`, 98 - i, { teamKey: 'A' }));
    const teamB = Array.from({ length: 5 }, (_, i) => cadre(`b${i}`, 91 - i * 0.1, { teamKey: 'B' }));
    expect(excellentKeys([...teamA, ...teamB])).toEqual(['a0', 'b0']);
  });

  it('pools the principals of teams of one type across teams', () => {
    const principals = Array.from({ length: 5 }, (_, i) => cadre(`p${i}`, 95 - i, { teamKey: `T${i}`, role: 'principal' }));
    expect(excellentKeys(principals)).toEqual(['p0']);
  });

  it('breaks ties on composite by 优秀率, then 平时考核', () => {
    const democratic = (excellentRate: number) => ({ score: 95, excellentRate, competentOrAboveRate: 1, incompetentRate: 0 });
    const pool = [
      cadre('low-rate', 95, { components: { democratic: democratic(0.6) } }),
      cadre('high-rate', 95, { components: { democratic: democratic(0.8) } }),
      ...Array.from({ length: 3 }, (_, i) => cadre(`n${i}`, 80)),
    ];
    expect(excellentKeys(pool)).toEqual(['high-rate']);
    // Equal composite and 优秀率: the higher 平时考核 wins (weights chosen so the composite stays 95).
    const routineUp = { routine: { quarterly: [96] }, performance: { score: 93 } };
    const tied = [cadre('plain', 95), cadre('steady', 95, { components: routineUp }), ...Array.from({ length: 3 }, (_, i) => cadre(`m${i}`, 80))];
    expect(excellentKeys(tied)).toEqual(['steady']);
  });

  it('can be raised per pool up to 25%', () => {
    const pool = Array.from({ length: 8 }, (_, i) => team(`t${i}`, 99 - i));
    expect(excellentKeys(pool)).toHaveLength(1);
    const raised = { ...DEFAULT_POLICY, quota: { ...DEFAULT_POLICY.quota, shareByPool: { 'team:dept_economic': 0.25 } } };
    expect(excellentKeys(pool, raised)).toHaveLength(2);
  });

  it('lets forced 优秀 take the slots first', () => {
    const countyTeam = (key: string) => team(key, 70, { category: 'county', type: 'poverty_county', povertyCounty: true, povertyResult: 'good' });
    const principal = (key: string, teamKey: string, score: number) => cadre(key, score, { type: 'poverty_county', teamKey, role: 'principal' });
    const subjects = [countyTeam('A'), team('B', 80, { type: 'poverty_county', povertyCounty: true, povertyResult: 'fairly_good' }),
      principal('forced', 'A', 85), principal('high', 'B', 97), principal('x', 'B', 80), principal('y', 'C', 80), principal('z', 'C', 80)];
    const result = gradeAssessment(assessment(subjects), DEFAULT_POLICY);
    expect(result.subjects.filter((s) => s.kind === 'cadre').map((s) => s.proposedGrade)).toEqual(['excellent', 'competent', 'competent', 'competent', 'competent']);
  });
});
