import { useEffect, useRef, useState } from 'preact/hooks';
import { api, byId, call } from '../api';
import type { GradingRun, SubjectResult } from '../api-types';
import { ErrorNote } from '../components';
import { say, t } from '../i18n';
import { gradesOf } from '../../../shared/grading/glossary';
import type { Grade } from '../../../shared/grading/types';
import { fmtScore } from '../models/format';
import { overrideRefusal } from '../models/grading';
import { useAction } from '../use-action';
import { gradeLabel } from './grading-common';

/** The committee's decision on one subject: a final grade and the reason, which is required. */
export function OverrideDialog({ assessmentId, result, subject, onDone, onClose }: { assessmentId: number; result: GradingRun['result']; subject: SubjectResult; onDone: (s: SubjectResult) => void; onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const [grade, setGrade] = useState<Grade>(subject.finalGrade);
  const [reason, setReason] = useState(subject.override?.reason ?? '');
  useEffect(() => {
    ref.current?.showModal();
  }, []);
  const save = useAction(async () => {
    // Refused before asking the server, with the server's own check and words.
    const refusal = overrideRefusal(result, subject.key, grade, reason);
    if (refusal) throw new Error(say(refusal));
    const r = await call(api.admin.assessments[':id'].grading.overrides.$post({ ...byId(assessmentId), json: { subjectKey: subject.key, grade, reason } }));
    onDone(r.subject);
  });
  return (
    <dialog ref={ref} class="confirm override" onCancel={onClose} onClose={onClose} aria-labelledby="override-title" data-testid="override-dialog">
      <form method="dialog" onSubmit={(e) => (e.preventDefault(), save.run())} noValidate>
        <h2 id="override-title">{t('调整等次', 'Change the grade')}</h2>
        <p>
          <strong>{subject.name}</strong> <span class="muted">{subject.key}</span>
          <br />
          {t('综合得分', 'Composite')} {fmtScore(subject.scores.composite)} · {t('拟定等次', 'Proposed')} <strong>{gradeLabel(subject.proposedGrade)}</strong>
        </p>
        <label>
          {t('确定等次', 'Final grade')}
          <select name="grade" value={grade} onChange={(e) => setGrade(e.currentTarget.value as Grade)} data-testid="override-grade">
            {gradesOf(subject.kind).map((g) => (
              <option key={g} value={g}>
                {gradeLabel(g)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('调整理由（必填，记入审计日志）', 'Reason (required; recorded in the audit log)')}
          <textarea name="reason" rows={4} maxLength={2000} value={reason} onInput={(e) => setReason(e.currentTarget.value)} data-testid="override-reason" />
        </label>
        <ErrorNote error={save.error} />
        <div class="actions">
          <button type="button" class="secondary" onClick={onClose}>
            {t('取消', 'Cancel')}
          </button>
          <button type="submit" class="primary" disabled={save.busy} data-testid="override-submit">
            {t('保存调整', 'Save change')}
          </button>
        </div>
      </form>
    </dialog>
  );
}
