import { beforeAll, describe, expect, it } from 'vitest';
import { buildReport, demoProvince, gradeAssessment, type GradingReport, type GradingResult } from '../../shared/grading';

/** The seed's §7 figures, reproduced by grading the generated province: nothing is read from a constant. */
describe('the demo province graded (GRADING.md §7)', () => {
  let current: GradingResult;
  let previous: GradingResult;
  let report: GradingReport;
  const group = (id: string) => report.groups.find((g) => g.group.id === id);

  beforeAll(() => {
    const province = demoProvince();
    current = gradeAssessment(province.current, province.policy);
    previous = gradeAssessment(province.previous, province.policy);
    report = buildReport(current, { previous });
  });

  it('grades 220 provincial teams: 优秀 57, 良好 159, 一般 4', () => {
    expect(group('provincial_teams')).toMatchObject({ total: 220, counts: { excellent: 57, good: 159, average: 4, poor: 0 } });
  });

  it('grades 1,847 provincial cadres: 优秀 416, 称职 1,388, 基本称职 3, 不称职 2, 不定等次 38', () => {
    expect(group('provincial_cadres')).toMatchObject({
      total: 1847, counts: { excellent: 416, competent: 1388, basically_competent: 3, incompetent: 2, undetermined: 38 },
    });
  });

  it('grades 75 poverty-county teams as their 脱贫攻坚 results: 优秀 25, 良好 50', () => {
    expect(group('poverty_county_teams')).toMatchObject({ total: 75, counts: { excellent: 25, good: 50, average: 0, poor: 0 } });
  });

  it('grades 172 county principals: 优秀 46, 称职 115, 基本称职 2, 不定等次 9', () => {
    expect(group('county_principals')).toMatchObject({
      total: 172, counts: { excellent: 46, competent: 115, basically_competent: 2, incompetent: 0, undetermined: 9 },
    });
  });

  it('reports against 2018: team 优秀 share +4.61 points and +11 teams; cadre share +7.7 points and +157 cadres', () => {
    const teams = group('provincial_teams')?.change;
    const cadres = group('provincial_cadres')?.change;
    expect(teams).toMatchObject({ previousYear: 2018, previousTotal: 216, previousExcellent: 46, excellentCount: 11 });
    expect(teams?.excellentSharePoints.toFixed(2)).toBe('4.61');
    expect(cadres).toMatchObject({ previousTotal: 1747, previousExcellent: 259, excellentCount: 157 });
    expect(cadres?.excellentSharePoints.toFixed(1)).toBe('7.7');
  });

  it('never gives a pool more 优秀 through the quota than floor(25%) of it', () => {
    for (const pool of current.pools.filter((p) => !p.id.includes('county'))) {
      expect(pool.excellent, pool.id).toBeLessThanOrEqual(Math.floor(pool.size * 0.25));
    }
  });

  it('shows the rules at work: the quota cut, forced poverty grades, holds, bars and downgrades', () => {
    const codes = new Set(current.subjects.flatMap((s) => s.reasons.map((r) => r.code)));
    for (const code of [
      'quota.within', 'quota.beyond', 'forced.poverty_result', 'forced.poverty_county_principal', 'forced.sanction_incompetent',
      'holds.new_in_post', 'holds.long_leave', 'holds.open_case', 'bars.political_quality', 'bars.team_graded_low',
      'bars.admonished', 'downgrades.veto', 'downgrades.public_criticism', 'downgrades.bottom_ranked_and_summoned',
    ]) expect(codes, code).toContain(code);
    expect(current.evaluators.filter((e) => e.flagged).map((e) => e.evaluatorKey)).toEqual(['eval-13']);
    expect(current.issues).toEqual([]);
  });

  it('is the same province on every run of the same seed', () => {
    expect(demoProvince().current).toEqual(demoProvince().current);
    expect(demoProvince(7).current).not.toEqual(demoProvince().current);
  });
});
