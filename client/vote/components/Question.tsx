import type { BallotForm, BallotQuestion, BallotSubject } from '../../../shared/forms';
import { useAppState, type BallotModel } from '../state';
import { useT } from './hooks';

interface Props {
  model: BallotModel;
  form: BallotForm;
  subject: BallotSubject;
  question: BallotQuestion;
}

/**
 * One question of one subject: native radios (arrow keys, one tab stop) drawn as large
 * segments. Reads only its own answer signal, so a tap re-renders this question alone.
 */
export function Question({ model, form, subject, question }: Props) {
  const state = useAppState();
  const t = useT();
  const zh = state.lang.value === 'zh';
  const value = model.cell(form.id, subject.id, question.id).value;
  const text = zh ? question.text : question.textEn;
  const name = `${form.id}.${subject.id}.${question.id}`;
  return (
    <fieldset class={`q q-${question.kind}${value === undefined ? ' q-blank' : ''}`} role="radiogroup" aria-label={t('groupLabel', { subject: subject.name, question: text })}>
      <legend>{text}</legend>
      <div class={`seg seg-${question.options.length}`}>
        {question.options.map((option) => {
          const label = zh ? option.label : option.labelEn;
          return (
            <label class="opt" key={option.value}>
              <input
                type="radio"
                name={name}
                value={option.value}
                checked={value === option.value}
                aria-label={t('choiceLabel', { subject: subject.name, question: text, option: label })}
                onChange={() => state.setAnswer(form.id, subject.id, question.id, option.value)}
              />
              <span aria-hidden="true">{label}</span>
            </label>
          );
        })}
      </div>
    </fieldset>
  );
}
