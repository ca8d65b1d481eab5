import { describe, expect, it } from 'vitest';
import { applyOverride, buildReport, DEFAULT_POLICY, gradeAssessment } from '../../shared/grading';
import { amongPeers, cadre } from './subjects';

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
});
