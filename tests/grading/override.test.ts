import { describe, expect, it } from 'vitest';
import { applyOverride, buildReport, DEFAULT_POLICY, gradeAssessment } from '../../shared/grading';
import { amongPeers, assessment, cadre, team } from './subjects';

const graded = () => gradeAssessment(amongPeers(cadre('c', 95)), DEFAULT_POLICY);

describe('overrides: the committee decides', () => {
  it('refuses an override without a reason', () => {
    expect(applyOverride(graded(), 'c', 'competent', '  ')).toEqual({ ok: false, error: { code: 'override_reason_required', subjectKey: 'c' } });
  });

  it('refuses an unknown subject and a grade of the other kind', () => {
    expect(applyOverride(graded(), 'nobody', 'competent', '常委会决定')).toMatchObject({ ok: false, error: { code: 'subject_not_found' } });
    expect(applyOverride(graded(), 'c', 'good', '常委会决定')).toMatchObject({ ok: false, error: { code: 'grade_not_allowed' } });
  });

  it('sets the final grade beside the proposal, records the reason and follows with the actions', () => {
    const before = graded();
    const outcome = applyOverride(before, 'c', 'competent', '省委常委会研究决定');
    if (!outcome.ok) throw new Error(outcome.error.code);
    const subject = outcome.result.subjects[0];
    expect(subject).toMatchObject({
      proposedGrade: 'excellent', finalGrade: 'competent', override: { grade: 'competent', reason: '省委常委会研究决定' }, actions: [],
    });
    expect(subject?.reasons.at(-1)).toMatchObject({ code: 'override.admin', zh: '人工调整:省委常委会研究决定' });
    expect(before.subjects[0]?.finalGrade).toBe('excellent'); // the input result is untouched

    const report = buildReport(outcome.result);
    expect(report.rows[0]).toMatchObject({ proposedGrade: 'excellent', finalGrade: 'competent', overridden: true, overrideReason: '省委常委会研究决定' });
    const cadres = report.groups.find((g) => g.group.id === 'provincial_cadres');
    expect(cadres).toMatchObject({ counts: { excellent: 0, competent: 5 }, proposedCounts: { excellent: 1, competent: 4 } });
  });

  it('flags a principal still at 优秀 for review when the committee lowers the team to 一般', () => {
    const principal = cadre('p', 95, { teamKey: 't', role: 'principal' });
    const result = gradeAssessment(assessment([team('t', 88), ...amongPeers(principal).subjects]), DEFAULT_POLICY);
    expect(result.subjects.find((s) => s.key === 'p')?.finalGrade).toBe('excellent');
    const lowered = applyOverride(result, 't', 'average', '巡视反馈问题整改不力');
    if (!lowered.ok) throw new Error(lowered.error.code);
    const flagged = lowered.result.subjects.find((s) => s.key === 'p')!;
    expect(flagged.finalGrade).toBe('excellent'); // the committee decides: flagged, not regraded
    expect(flagged.reasons.map((r) => r.code)).toContain('override.review_team_low');
    // Raised back, the flag goes.
    const raised = applyOverride(lowered.result, 't', 'good', '复核后维持原等次');
    if (!raised.ok) throw new Error(raised.error.code);
    expect(raised.result.subjects.find((s) => s.key === 'p')!.reasons.map((r) => r.code)).not.toContain('override.review_team_low');
  });
});
