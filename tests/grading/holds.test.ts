import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, gradeAssessment } from '../../shared/grading';
import { amongPeers, cadre } from './subjects';

const gradeOf = (facts: NonNullable<Parameters<typeof cadre>[2]>['facts']) => {
  const result = gradeAssessment(amongPeers(cadre('c', 95, { facts })), DEFAULT_POLICY);
  const [subject] = result.subjects;
  return { grade: subject?.proposedGrade, codes: subject?.reasons.map((r) => r.code) };
};

describe('holds → 不定等次 (§5.1)', () => {
  it('holds a cadre in post under half a year, whatever the score', () => {
    expect(gradeOf({ monthsInPost: 5 })).toMatchObject({ grade: 'undetermined', codes: expect.arrayContaining(['holds.new_in_post']) });
    expect(gradeOf({ monthsInPost: 6 }).grade).not.toBe('undetermined');
  });

  it('holds a cadre on leave over half a year', () => {
    expect(gradeOf({ leaveMonths: 7 })).toMatchObject({ grade: 'undetermined', codes: expect.arrayContaining(['holds.long_leave']) });
    expect(gradeOf({ leaveMonths: 6 }).grade).not.toBe('undetermined');
  });

  it('holds a cadre whose case is open and not concluded', () => {
    expect(gradeOf({ openCase: true })).toMatchObject({ grade: 'undetermined', codes: expect.arrayContaining(['holds.open_case']) });
  });

  it('holds a cadre under a sanction the policy lists (严重警告, 记过), not under a 警告', () => {
    expect(gradeOf({ sanctions: ['serious_warning'] }).grade).toBe('undetermined');
    expect(gradeOf({ sanctions: ['demerit'] }).codes).toContain('holds.sanction_demerit');
    expect(gradeOf({ sanctions: ['warning'] }).grade).toBe('excellent');
  });

  it('comes before every other rule: a held cadre is not forced 不称职', () => {
    expect(gradeOf({ monthsInPost: 2, sanctions: ['removal_from_party_post'] }).grade).toBe('undetermined');
  });
});
