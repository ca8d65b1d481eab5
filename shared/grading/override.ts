import { gradeActions } from './actions';
import { gradesOf } from './glossary';
import { reason } from './reason';
import type { Grade, GradingResult, Reason, SubjectResult } from './types';

const overrideReason = (text: string): Reason => reason('override', 'admin', `人工调整:${text}`, `overridden: ${text}`);

export type OverrideErrorCode = 'override_reason_required' | 'subject_not_found' | 'grade_not_allowed';

export type OverrideOutcome =
  | { ok: true; result: GradingResult }
  | { ok: false; error: { code: OverrideErrorCode; subjectKey: string } };

/**
 * The committee decides (§5): an admin sets a subject's final grade, with a reason that is
 * required and recorded. The engine's proposal stays beside it. Returns a new result.
 */
export function applyOverride(result: GradingResult, subjectKey: string, grade: Grade, reasonText: string): OverrideOutcome {
  const text = reasonText.trim();
  if (text === '') return { ok: false, error: { code: 'override_reason_required', subjectKey } };
  const index = result.subjects.findIndex((s) => s.key === subjectKey);
  const subject = result.subjects[index];
  if (subject === undefined) return { ok: false, error: { code: 'subject_not_found', subjectKey } };
  if (!gradesOf(subject.kind).includes(grade)) return { ok: false, error: { code: 'grade_not_allowed', subjectKey } };
  // Grade actions follow the final grade; the reminder talk follows the composite and stays.
  const reminder = subject.actions.filter((a) => a.code === 'reminder_talk');
  const updated = {
    ...subject,
    finalGrade: grade,
    override: { grade, reason: text },
    reasons: [...subject.reasons.filter((r) => r.rule !== 'override'), overrideReason(text)],
    actions: [...gradeActions(subject.kind, grade), ...reminder],
  };
  const subjects = [...result.subjects];
  subjects[index] = updated;
  if (subject.kind === 'team') flagPrincipals(subjects, subject.key, grade);
  return { ok: true, result: { ...result, subjects } };
}

const TEAM_LOW_REVIEW = 'review_team_low';

/**
 * §5.4 bars a principal's 优秀 when the team is graded 一般 or worse. The engine applied it to
 * its own proposal; when the committee lowers the team by hand, a principal still at 优秀 is
 * flagged for review rather than silently regraded (the committee decides both).
 */
function flagPrincipals(subjects: SubjectResult[], teamKey: string, teamGrade: Grade): void {
  const low = teamGrade === 'average' || teamGrade === 'poor';
  subjects.forEach((s, i) => {
    if (s.kind !== 'cadre' || s.role !== 'principal' || s.teamKey !== teamKey) return;
    const reasons = s.reasons.filter((r) => r.code !== `override.${TEAM_LOW_REVIEW}`);
    if (low && s.finalGrade === 'excellent') {
      reasons.push(reason('override', TEAM_LOW_REVIEW, '所在班子等次已调整为一般及以下，主要负责人按规定不得评为优秀，请复核', 'team changed to average or below: the principal may not be excellent; review'));
    }
    subjects[i] = { ...s, reasons };
  });
}
