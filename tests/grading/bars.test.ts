import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, gradeAssessment, type Subject } from '../../shared/grading';
import { amongPeers, assessment, cadre, team } from './subjects';

const gradeAlone = (subject: Subject) => gradeAssessment(amongPeers(subject), DEFAULT_POLICY).subjects[0];

describe('bars on 优秀 (§5.4)', () => {
  it('a political quality score of 89.9 bars 优秀; 90 does not', () => {
    const barred = gradeAlone(cadre('c', 96, { components: { politicalQuality: 89.9 } }));
    expect(barred).toMatchObject({ provisionalGrade: 'excellent', proposedGrade: 'competent' });
    expect(barred?.reasons.find((r) => r.code === 'bars.political_quality')?.zh).toContain('89.9');
    expect(gradeAlone(cadre('c', 96, { components: { politicalQuality: 90 } }))?.proposedGrade).toBe('excellent');
    expect(gradeAlone(team('t', 96, { components: { politicalQuality: 89.9 } }))?.proposedGrade).toBe('good');
  });

  it('a veto item, 诫勉 or 问责 in effect bars a cadre from 优秀', () => {
    expect(gradeAlone(cadre('c', 96, { facts: { vetoItems: ['计划生育'] } }))?.proposedGrade).toBe('competent');
    expect(gradeAlone(cadre('c', 96, { facts: { admonished: true } }))?.proposedGrade).toBe('competent');
    expect(gradeAlone(cadre('c', 96, { facts: { heldAccountable: true } }))?.proposedGrade).toBe('competent');
  });

  it('a team rated 一般 or worse bars its principal, not its deputies', () => {
    const otherPrincipals = Array.from({ length: 4 }, (_, i) => cadre(`q${i}`, 80, { teamKey: `U${i}`, role: 'principal' }));
    const deputies = Array.from({ length: 5 }, (_, i) => cadre(`d${i}`, 96 - i, { role: 'deputy' }));
    const gradesWithTeamAt = (teamScore: number) => gradeAssessment(
      assessment([team('T', teamScore), cadre('p', 96, { role: 'principal' }), ...otherPrincipals, ...deputies]), DEFAULT_POLICY,
    ).subjects.slice(0, 3).map((s) => [s.key, s.proposedGrade]);
    expect(gradesWithTeamAt(85)).toEqual([['T', 'good'], ['p', 'excellent'], ['q0', 'competent']]);
    expect(gradesWithTeamAt(70)).toEqual([['T', 'average'], ['p', 'competent'], ['q0', 'competent']]);
    const deputiesOfWeakTeam = gradeAssessment(assessment([team('T', 70), ...deputies]), DEFAULT_POLICY).subjects;
    expect(deputiesOfWeakTeam.find((s) => s.key === 'd0')?.proposedGrade).toBe('excellent');
  });
});
