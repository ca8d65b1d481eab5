import { useEffect, useState } from 'preact/hooks';
import type { BallotForm } from '../../../shared/forms';
import { useAppState, type BallotModel } from '../state';
import { useFocusOnMount, useT } from './hooks';
import { Question } from './Question';
import { Steps } from './Steps';

/** Cards are mounted in slices (a screenful first, then more each frame) so the first screen paints at once even with 100 subjects. */
const FIRST = 6;
const SLICE = 24;

export function Ballot({ model }: { model: BallotModel }) {
  const state = useAppState();
  const t = useT();
  const zh = state.lang.value === 'zh';
  const index = state.formIndex.value;
  const form = model.forms[index]?.form;
  const heading = useFocusOnMount<HTMLHeadingElement>();
  if (!form) return null;
  const last = index === model.forms.length - 1;
  return (
    <>
      <div class="intro">
        <p class="sitting">{model.draft.definition.sitting.title}</p>
        <Steps model={model} />
        <h2 tabIndex={-1} ref={heading} id="form-title">
          {zh ? form.title : form.titleEn}
        </h2>
      </div>
      <FormCards key={form.id} model={model} form={form} />
      <nav class="pager" aria-label={t('formSteps')}>
        {index > 0 && (
          <button type="button" class="btn" onClick={() => state.goToForm(index - 1)}>
            {t('back')}
          </button>
        )}
        <button type="button" class="btn primary" onClick={() => (last ? state.toReview() : state.goToForm(index + 1))}>
          {last ? t('toReview') : t('next')}
        </button>
      </nav>
    </>
  );
}

function FormCards({ model, form }: { model: BallotModel; form: BallotForm }) {
  const [shown, setShown] = useState(Math.min(FIRST, form.subjects.length));
  useEffect(() => {
    if (shown >= form.subjects.length) return;
    const id = requestAnimationFrame(() => setShown((n) => Math.min(n + SLICE, form.subjects.length)));
    return () => cancelAnimationFrame(id);
  }, [shown, form.subjects.length]);
  return (
    <ol class="cards" aria-labelledby="form-title" data-complete={shown >= form.subjects.length ? 'true' : 'false'}>
      {form.subjects.slice(0, shown).map((subject, i) => (
        <li class="card" key={subject.id} id={`s-${form.id}-${subject.id}`} aria-labelledby={`h-${form.id}-${subject.id}`}>
          <h3 id={`h-${form.id}-${subject.id}`}>
            <span class="num" aria-hidden="true">
              {i + 1}
            </span>
            <span class="name">{subject.name}</span>
            {subject.title && <span class="title">{subject.title}</span>}
          </h3>
          {form.questions.map((question) => (
            <Question key={question.id} model={model} form={form} subject={subject} question={question} />
          ))}
        </li>
      ))}
    </ol>
  );
}
