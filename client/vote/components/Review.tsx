import { useState } from 'preact/hooks';
import type { AnswerProblem } from '../../../shared/answers';
import type { BallotDefinition } from '../../../shared/forms';
import type { Lang } from '../../../shared/errors';
import { translate } from '../i18n';
import { useAppState, type BallotModel } from '../state';
import { useFocusOnMount, useT } from './hooks';
import { Steps } from './Steps';

/** Problems (from shared checkAnswers, or a 422's details) in plain words, naming subject and question. */
export function describeProblems(lang: Lang, definition: BallotDefinition, problems: readonly AnswerProblem[]): string[] {
  const zh = lang === 'zh';
  const lines = new Set<string>();
  for (const p of problems) {
    const form = definition.forms.find((f) => f.id === p.formId);
    const subject = form?.subjects.find((s) => String(s.id) === p.subjectId);
    const question = form?.questions.find((q) => q.id === p.questionId);
    const qText = question ? (zh ? question.text : question.textEn) : '';
    if (p.reason === 'too_many_top' && form && question) {
      const top = question.options[0];
      lines.add(translate(lang, 'topOver', { label: top ? (zh ? top.label : top.labelEn) : '', limit: p.limit ?? 0, count: p.count ?? 0 }));
    } else if (p.reason === 'required' && subject) lines.add(translate(lang, 'requiredMissing', { subject: subject.name, question: qText }));
    else if (p.reason === 'invalid_value' && subject) lines.add(translate(lang, 'invalidValue', { subject: subject.name, question: qText }));
    else lines.add(translate(lang, 'unknownItem'));
  }
  return [...lines];
}

/** The last step: what the ballot says, what blocks it, and the submit button. */
export function Review({ model }: { model: BallotModel }) {
  const state = useAppState();
  const t = useT();
  const lang = state.lang.value;
  const zh = lang === 'zh';
  const heading = useFocusOnMount<HTMLHeadingElement>();
  const [busy, setBusy] = useState(false);
  // Re-read on every render: the forms' counters are signals, so this view follows the answers.
  const problems = describeProblems(lang, model.draft.definition, state.problems());
  return (
    <>
      <div class="intro">
        <p class="sitting">{model.draft.definition.sitting.title}</p>
        <Steps model={model} />
        <h2 tabIndex={-1} ref={heading}>
          {t('reviewTitle')}
        </h2>
      </div>
      {model.forms.map(({ form, rated, top }) => {
        const overall = form.questions.find((q) => q.id === 'overall');
        const blank = form.subjects.length - rated.value;
        return (
          <section class="panel" key={form.id} aria-labelledby={`r-${form.id}`}>
            <h3 id={`r-${form.id}`}>{zh ? form.title : form.titleEn}</h3>
            <p>
              {t('progress', { done: rated.value, total: form.subjects.length })}
              {top && (
                <span class={top.count.value > top.limit ? 'top over' : 'top'}>
                  {' · '}
                  {t('topCounter', { label: zh ? top.label : top.labelEn, count: top.count.value, limit: top.limit })}
                </span>
              )}
            </p>
            {overall && (
              <ul class="tally">
                {overall.options.map((o) => (
                  <li key={o.value}>
                    <span>{zh ? o.label : o.labelEn}</span>
                    <strong>{form.subjects.filter((s) => model.cell(form.id, s.id, 'overall').value === o.value).length}</strong>
                  </li>
                ))}
              </ul>
            )}
            <p class="muted">{blank > 0 ? t('reviewBlank', { count: blank }) : t('reviewAllDone')}</p>
          </section>
        );
      })}
      {problems.length > 0 && (
        <section class="panel bad" role="alert" aria-labelledby="problems-title">
          <h3 id="problems-title">{t('problemsTitle')}</h3>
          <ul>
            {problems.slice(0, 20).map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        </section>
      )}
      <nav class="pager">
        <button type="button" class="btn" onClick={() => state.goToForm(model.forms.length - 1)}>
          {t('back')}
        </button>
        <button
          type="button"
          class="btn primary"
          disabled={problems.length > 0 || busy}
          onClick={async () => {
            setBusy(true);
            try {
              await state.submit();
            } finally {
              setBusy(false);
            }
          }}
        >
          {t('submit')}
        </button>
      </nav>
    </>
  );
}
