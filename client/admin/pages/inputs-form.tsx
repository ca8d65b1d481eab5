import { useState } from 'preact/hooks';
import { api, ApiFailure, byId, call } from '../api';
import type { InputsRow, Subject } from '../api-types';
import { ErrorNote } from '../components';
import { say, t } from '../i18n';
import { POVERTY_RESULTS } from '../../../shared/grading-api';
import { FACT_LABELS, POVERTY_RESULT_LABELS } from '../../../shared/grading/glossary';
import { DRAFT_FIELD_LABELS, draftOf, refusalText, saveInputsRequest, type DraftTextField, type InputsDraft } from '../models/inputs';
import { useAction } from '../use-action';
import { SanctionChecks } from './sanction-checks';

const capitalised = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** One subject's scores and facts, edited in place; saving sends the whole row. */
export function InputsForm({ assessmentId, subject, row, onSaved, onCancel }: { assessmentId: number; subject: Subject; row: InputsRow | undefined; onSaved: () => void; onCancel: () => void }) {
  const [d, setD] = useState<InputsDraft>(() => draftOf(row, subject));
  const set = <K extends keyof InputsDraft>(k: K, v: InputsDraft[K]) => setD({ ...d, [k]: v });
  const save = useAction(async () => {
    const request = saveInputsRequest(subject.key, row, d);
    if ('problem' in request) throw new Error(say(request.problem));
    try {
      await call(api.admin.assessments[':id'].inputs.$post({ ...byId(assessmentId), json: request.body }));
    } catch (err) {
      throw err instanceof ApiFailure ? new Error(refusalText(err.message, err.details)) : err;
    }
    onSaved();
  });
  const text = (k: DraftTextField, label = say(DRAFT_FIELD_LABELS[k]), hint?: string) => {
    const free = k === 'routine' || k === 'vetoItems';
    return (
      <label class={free ? 'wide' : ''}>
        {label}
        <input name={k} value={d[k]} placeholder={hint} onInput={(e) => set(k, e.currentTarget.value)} inputMode={free ? 'text' : 'decimal'} />
      </label>
    );
  };
  const check = (k: 'povertyCounty' | 'admonished' | 'heldAccountable' | 'openCase', label: string) => (
    <label class="check">
      <input type="checkbox" name={k} checked={d[k]} onChange={(e) => set(k, e.currentTarget.checked)} />
      {label}
    </label>
  );
  // The English label keeps the Chinese term beside it: the committee's papers use it.
  const fact = (k: 'admonished' | 'heldAccountable' | 'openCase') => check(k, t(FACT_LABELS[k].zh, `${capitalised(FACT_LABELS[k].en)} (${FACT_LABELS[k].zh})`));
  return (
    <form class="inputs-form" onSubmit={(e) => (e.preventDefault(), save.run())} data-testid="inputs-form">
      <fieldset>
        <legend>{t('得分', 'Scores')}</legend>
        <div class="field-grid">
          {text('routine', t('平时考核（各季度，逗号分隔）', 'Routine (quarterly, comma separated)'), '85, 86.5, 88, 87')}
          {text('performance', undefined, row?.performanceIndicators?.length ? t('按指标计算', 'from indicators') : '')}
          {text('superior')}
          {text('plenary')}
          {text('politicalQuality')}
        </div>
      </fieldset>
      <fieldset>
        <legend>{t('贫困县与脱贫攻坚', 'Poverty county')}</legend>
        <div class="field-grid">
          {check('povertyCounty', t('贫困县', 'Poverty county'))}
          <label>
            {t('脱贫攻坚成效', 'Poverty alleviation result')}
            <select name="povertyResult" value={d.povertyResult} onChange={(e) => set('povertyResult', e.currentTarget.value as InputsDraft['povertyResult'])}>
              <option value="">—</option>
              {POVERTY_RESULTS.map((p) => (
                <option key={p} value={p}>
                  {say(POVERTY_RESULT_LABELS[p])}
                </option>
              ))}
            </select>
          </label>
        </div>
      </fieldset>
      <fieldset>
        <legend>{t('有关情况', 'Facts')}</legend>
        <div class="field-grid">
          {text('vetoItems', t('一票否决事项（顿号分隔）', 'Veto items (separated by 、)'))}
          {text('monthsInPost')}
          {text('leaveMonths')}
          {fact('admonished')}
          {fact('heldAccountable')}
          {fact('openCase')}
        </div>
        <div class="checks" role="group" aria-label={t('处分', 'Sanctions')}>
          <span class="muted">{t('处分：', 'Sanctions: ')}</span>
          <SanctionChecks chosen={d.sanctions} onChange={(next) => set('sanctions', next)} />
        </div>
      </fieldset>
      <ErrorNote error={save.error} />
      <div class="actions left">
        <button type="submit" class="primary" disabled={save.busy} data-testid="inputs-form-save">
          {t('保存', 'Save')}
        </button>
        <button type="button" class="secondary" onClick={onCancel}>
          {t('取消', 'Cancel')}
        </button>
      </div>
    </form>
  );
}
