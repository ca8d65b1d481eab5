import { gradeActions } from './actions';
import { gradesOf } from './glossary';
import { reason } from './reason';
import type { Grade, GradingResult, Reason } from './types';

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
  return { ok: true, result: { ...result, subjects } };
}
