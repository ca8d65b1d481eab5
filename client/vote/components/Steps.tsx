import { useAppState, type BallotModel } from '../state';
import { useT } from './hooks';

/** The forms in order, then the review: where the voter is and how far each form is done. */
export function Steps({ model }: { model: BallotModel }) {
  const state = useAppState();
  const t = useT();
  const zh = state.lang.value === 'zh';
  const reviewing = state.view.value === 'review';
  const current = reviewing ? -1 : state.formIndex.value;
  return (
    <ol class="steps" aria-label={t('formSteps')}>
      {model.forms.map(({ form, rated }, i) => (
        <li key={form.id}>
          <button type="button" class={i === current ? 'step on' : 'step'} aria-current={i === current ? 'step' : undefined} onClick={() => state.goToForm(i)}>
            <span class="step-title">{zh ? form.title : form.titleEn}</span>
            <span class="step-count">
              {rated.value}/{form.subjects.length}
            </span>
          </button>
        </li>
      ))}
      <li>
        <button type="button" class={reviewing ? 'step on' : 'step'} aria-current={reviewing ? 'step' : undefined} onClick={() => state.toReview()}>
          <span class="step-title">{t('stepReview')}</span>
        </button>
      </li>
    </ol>
  );
}
