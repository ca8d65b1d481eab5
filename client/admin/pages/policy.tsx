import { useEffect, useState } from 'preact/hooks';
import { api, ApiFailure, call } from '../api';
import type { Policy } from '../api-types';
import { ErrorNote, Loading, useLoad } from '../components';
import { say, t } from '../i18n';
import { CORRECT_MARKED_FIELDS, draftOf, hasProblems, policyRefusal, readDraft, refusalMessage, refusalProblems, savedText, type FieldProblems, type PolicyDraft } from '../models/policy';
import { useAction } from '../use-action';
import { PolicyFields } from './policy-fields';

/** 评定办法: every number of GRADING.md as a form; saving creates a new version (server/services/grading.ts). */
export function PolicyPage() {
  const loaded = useLoad(() => call(api.admin.grading.policy.$get()), []);
  const [base, setBase] = useState<Policy | null>(null);
  const [initial, setInitial] = useState<PolicyDraft | null>(null);
  const [d, setD] = useState<PolicyDraft | null>(null);
  const [problems, setProblems] = useState<FieldProblems>({});
  const [saved, setSaved] = useState<string | null>(null);
  const reset = (p: Policy) => {
    const draft = draftOf(p);
    setBase(p);
    setInitial(draft);
    setD(draft);
  };
  useEffect(() => {
    if (loaded.data) reset(loaded.data.policy);
  }, [loaded.data]);

  const save = useAction(async (from: { base: Policy; initial: PolicyDraft; draft: PolicyDraft }) => {
    setSaved(null);
    const { policy, unreadable } = readDraft(from.base, from.initial, from.draft);
    if (hasProblems(unreadable)) {
      setProblems(unreadable);
      throw new Error(say(CORRECT_MARKED_FIELDS));
    }
    // Refused here as the server would refuse it, in its words, before anything is sent.
    const refusal = policyRefusal(policy);
    setProblems(refusal ? refusalProblems(refusal) : {});
    if (refusal) throw new Error(say(refusalMessage(refusal)));
    try {
      const r = await call(api.admin.grading.policy.$post({ json: policy }));
      reset(r.policy);
      setSaved(say(savedText(r.policy)));
    } catch (err) {
      setProblems(err instanceof ApiFailure ? refusalProblems(err) : {});
      throw err;
    }
  });

  if (loaded.error) return <ErrorNote error={loaded.error} />;
  if (!base || !initial || !d) return <Loading />;

  return (
    <form class="policy" onSubmit={(e) => (e.preventDefault(), save.run({ base, initial, draft: d }))} noValidate data-testid="policy-form">
      <h1>
        {t('评定办法', 'Grading policy')}{' '}
        <small class="muted" data-testid="policy-version">
          {base.id} · {t(`第 ${base.version} 版（现行）`, `version ${base.version} (in force)`)}
        </small>
      </h1>
      <p class="muted">
        {t(
          '评定等次使用的全部参数（GRADING.md）。保存后生成新版本；已有的评定结果保留其当时使用的版本。',
          'Every number the grading uses (GRADING.md). Saving creates a new version; earlier grading runs keep the version they used.',
        )}
      </p>
      {saved && (
        <p class="ok" role="status" data-testid="policy-saved">
          {saved}
        </p>
      )}
      <PolicyFields draft={d} problems={problems} onChange={setD} />
      <ErrorNote error={save.error} />
      <div class="actions left">
        <button type="submit" class="primary" disabled={save.busy} data-testid="policy-save">
          {t('保存为新版本', 'Save as a new version')}
        </button>
        <button type="button" class="secondary" onClick={() => (setD(initial), setProblems({}), save.clearError())}>
          {t('放弃修改', 'Discard changes')}
        </button>
      </div>
    </form>
  );
}
