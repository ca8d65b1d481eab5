import { describe, expect, it } from 'vitest';
import { gradeChoices, matchesFilters, NO_FILTERS, overrideRefusal, poolName, roleName, withKind, withSubject } from '../../../client/admin/models/grading';
import { DEFAULT_POLICY, gradeAssessment } from '../../../shared/grading';
import { assessment, cadre, team } from '../../grading/subjects';

const graded = () => gradeAssessment(assessment([team('T', 85, { category: 'city', type: 'city_1', name: '兰州市委班子' }), cadre('c1', 95, { teamKey: 'T', role: 'principal' }), cadre('c2', 70)]), DEFAULT_POLICY);

describe('grading page: filters', () => {
  it('shows only the subjects the filters match', () => {
    const { subjects } = graded();
    const shown = (f: Partial<typeof NO_FILTERS>) => subjects.filter((s) => matchesFilters(s, { ...NO_FILTERS, ...f })).map((s) => s.key);
    expect(shown({})).toEqual(['T', 'c1', 'c2']);
    expect(shown({ kind: 'cadre' })).toEqual(['c1', 'c2']);
    expect(shown({ category: 'city' })).toEqual(['T']);
    expect(shown({ search: 'c2' })).toEqual(['c2']);
    expect(shown({ only: 'adjusted' })).toEqual([]);
  });

  it('offers the grades of the chosen kind, and drops a grade the new kind lacks', () => {
    expect(gradeChoices('team')).toEqual(['excellent', 'good', 'average', 'poor']);
    expect(gradeChoices('cadre')).toContain('undetermined');
    expect(gradeChoices('')).toHaveLength(8);
    expect(withKind({ ...NO_FILTERS, kind: 'team', grade: 'good' }, 'cadre')).toEqual({ ...NO_FILTERS, kind: 'cadre' });
  });
});

describe('grading page: the override dialog refuses what the server refuses, in its words', () => {
  it('refuses a blank reason', () => {
    expect(overrideRefusal(graded(), 'c1', 'competent', '   ')).toEqual({ zh: '调整等次必须填写理由。', en: 'A reason is required to change a grade.' });
  });

  it('refuses a grade the subject’s kind does not have, and a subject that is not in the run', () => {
    expect(overrideRefusal(graded(), 'T', 'undetermined', '常委会决定')?.zh).toBe('该考核对象不能评定为此等次。');
    expect(overrideRefusal(graded(), 'nobody', 'competent', '常委会决定')?.zh).toBe('考核对象不存在。');
  });

  it('lets a reasoned override through', () => {
    expect(overrideRefusal(graded(), 'c1', 'competent', '常委会研究决定')).toBeNull();
  });

  it('puts the server’s answer in place of the subject and leaves the others', () => {
    const run = { runId: 1, result: graded() };
    const changed = { ...run.result.subjects[1]!, finalGrade: 'competent' as const, override: { grade: 'competent' as const, reason: '决定' } };
    const next = withSubject(run, changed);
    expect(next.result.subjects.map((s) => s.finalGrade)).toEqual([run.result.subjects[0]!.finalGrade, 'competent', run.result.subjects[2]!.finalGrade]);
    expect(run.result.subjects[1]!.override).toBeUndefined();
  });
});

describe('grading page: names', () => {
  it('names a pool by its type, or a deputies’ pool by its team', () => {
    expect(poolName('team:city_1')).toEqual({ zh: '市州第一类班子', en: 'teams: cities type 1' });
    expect(poolName('principal:dept_other').zh).toBe('其他部门正职');
    expect(poolName('deputy:T', new Map([['T', '兰州市委班子']]))).toEqual({ zh: '兰州市委班子副职', en: 'deputies of 兰州市委班子' });
  });

  it('names a subject’s role', () => {
    expect(roleName({ kind: 'team' }).zh).toBe('班子');
    expect(roleName({ kind: 'cadre', role: 'principal' }).en).toBe('principal');
  });
});
