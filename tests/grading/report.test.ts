import { describe, expect, it } from 'vitest';
import { buildReport, DEFAULT_POLICY, gradeAssessment, reportRowsCsv, type ReportGroup } from '../../shared/grading';
import { assessment, cadre, team } from './subjects';

const teams = (scores: number[]) => scores.map((s, i) => team(`t${i}`, s));

describe('the report (§7)', () => {
  it('counts every grade of a category, zeros included, and the 优秀 share in percent', () => {
    const result = gradeAssessment(assessment([...teams([95, 85, 85, 70, 85]), cadre('c', 85)]), DEFAULT_POLICY);
    const [provincialTeams] = buildReport(result).groups;
    expect(provincialTeams).toMatchObject({ total: 5, counts: { excellent: 1, good: 3, average: 1, poor: 0 }, excellentShare: 20 });
  });

  it('compares with the previous year: change in 优秀 count and in share points', () => {
    const previous = { ...gradeAssessment(assessment(teams([95, 85, 85, 85, 85, 85, 85, 85, 85, 85])), DEFAULT_POLICY), year: 2018 };
    const current = gradeAssessment(assessment(teams([95, 94, 85, 85, 85, 85, 85, 85])), DEFAULT_POLICY);
    const [change] = buildReport(current, { previous }).groups.map((g) => g.change);
    expect(change).toEqual({ previousYear: 2018, previousTotal: 10, previousExcellent: 1, excellentCount: 0, excellentSharePoints: 2.5 });
  });

  it('takes its categories as data', () => {
    const cities: ReportGroup = { id: 'cities', zh: '市州', en: 'cities', kind: 'team', category: 'city' };
    const result = gradeAssessment(assessment([team('a', 85, { category: 'city', type: 'city_1' }), team('b', 85)]), DEFAULT_POLICY);
    expect(buildReport(result, { groups: [cities] }).groups[0]?.total).toBe(1);
  });

  it('exports rows as CSV with the proposal beside the final grade', () => {
    const result = gradeAssessment(assessment(teams([85])), DEFAULT_POLICY);
    const csv = reportRowsCsv(buildReport(result));
    expect(csv.split('\n')[1]).toBe('t0,班子t0,team:dept_economic,85,良好,良好,,bands.good');
  });
});
