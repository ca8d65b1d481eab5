import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, gradeAssessment, type GradingResult, type PovertyResult } from '../../shared/grading';
import { assessment, cadre, team } from './subjects';

const find = (result: GradingResult, key: string) => result.subjects.find((s) => s.key === key);

function county(result: PovertyResult, principalScore = 85) {
  const countyTeam = team('county', 70, { category: 'county', type: 'poverty_county', povertyCounty: true, povertyResult: result });
  const secretary = cadre('secretary', principalScore, { category: 'county', type: 'poverty_county', teamKey: 'county', role: 'principal', povertyCounty: true });
  const deputy = cadre('deputy', 85, { category: 'county', type: 'poverty_county', teamKey: 'county', role: 'deputy', povertyCounty: true });
  return gradeAssessment(assessment([countyTeam, secretary, deputy]), DEFAULT_POLICY);
}

describe('forced grades (§5.2)', () => {
  it('grades a poverty-county team as its 脱贫攻坚 result: 好 → 优秀, 较好 → 良好, 一般 → 一般, 差 → 较差', () => {
    expect(find(county('good'), 'county')?.proposedGrade).toBe('excellent');
    expect(find(county('fairly_good'), 'county')?.proposedGrade).toBe('good');
    expect(find(county('average'), 'county')?.proposedGrade).toBe('average');
    expect(find(county('poor'), 'county')?.proposedGrade).toBe('poor');
    expect(find(county('good'), 'county')?.reasons[0]?.code).toBe('forced.poverty_result');
  });

  it('proposes 优秀 for the principals of a poverty county rated 好, not for its deputies', () => {
    const result = county('good', 82);
    expect(find(result, 'secretary')).toMatchObject({ proposedGrade: 'excellent', reasons: expect.arrayContaining([expect.objectContaining({ code: 'forced.poverty_county_principal' })]) });
    expect(find(result, 'deputy')?.proposedGrade).toBe('competent');
    expect(find(county('fairly_good', 82), 'secretary')?.proposedGrade).toBe('competent');
  });

  it('still bars a principal of a county rated 好 from 优秀 when a bar applies (优秀 "in principle")', () => {
    const countyTeam = team('county', 70, { category: 'county', type: 'poverty_county', povertyCounty: true, povertyResult: 'good' });
    const secretary = cadre('secretary', 95, { type: 'poverty_county', teamKey: 'county', role: 'principal', facts: { admonished: true } });
    const result = gradeAssessment(assessment([countyTeam, secretary]), DEFAULT_POLICY);
    expect(find(result, 'secretary')?.proposedGrade).toBe('competent');
  });

  it('forces 不称职 for a sanction the policy maps to it (撤销党内职务), whatever the score', () => {
    const result = gradeAssessment(assessment([cadre('c', 96, { facts: { sanctions: ['removal_from_party_post'] } })]), DEFAULT_POLICY);
    expect(find(result, 'c')).toMatchObject({ proposedGrade: 'incompetent', actions: expect.arrayContaining([expect.objectContaining({ code: 'demotion' })]) });
  });
});
