import { useAppState, type AppState, type BallotModel } from '../state';
import { useT } from './hooks';

/** Always on screen: the ballot's status (saved here / waiting / submitted), language, and while rating, progress. */
export function Header() {
  const state = useAppState();
  const t = useT();
  const model = state.ballot.value;
  const rating = model && state.view.value === 'ballot';
  return (
    <header class="masthead">
      <div class="bar">
        <h1>{t('appTitle')}</h1>
        <Status />
        <button type="button" class="lang" lang={state.lang.value === 'zh' ? 'en' : 'zh-CN'} aria-label={t('switchLangLabel')} onClick={() => state.setLang(state.lang.value === 'zh' ? 'en' : 'zh')}>
          {t('switchLang')}
        </button>
      </div>
      <RehearsalBanner />
      {rating && <Progress model={model} />}
    </header>
  );
}

/** A practice slip (演练票) says so on every screen of its ballot, its receipt included. */
function RehearsalBanner() {
  const state = useAppState();
  const t = useT();
  const view = state.view.value;
  const model = state.ballot.value;
  const onReceipt = view === 'receipt' || view === 'check';
  const rehearsal = onReceipt ? state.receipt.value?.rehearsal === true : model?.draft.definition.rehearsal === true && view !== 'welcome' && view !== 'slipError' && view !== 'loading';
  if (!rehearsal) return null;
  return (
    <p class="rehearsal" role="note" data-rehearsal="true">
      <strong>{t('rehearsal')}</strong> {t('rehearsalText')}
    </p>
  );
}

function Status() {
  const state = useAppState();
  const t = useT();
  const delivery = state.delivery.value;
  const save = state.save.value;
  let kind: string;
  let text: string;
  if (delivery === 'editing') {
    kind = save === 'failed' ? 'bad' : 'ok';
    text = t(save === 'saved' ? 'saved' : save === 'saving' ? 'saving' : 'saveFailed');
  } else {
    kind = delivery === 'submitted' ? 'ok' : delivery === 'problem' ? 'bad' : 'wait';
    text = t(delivery === 'submitted' ? 'submitted' : delivery === 'problem' ? 'notAccepted' : delivery === 'waiting' ? (state.waitReason.value ? 'waitingServer' : 'waiting') : 'sending');
  }
  if (!state.ballot.value && delivery !== 'submitted') return <span class="status" />;
  return (
    <span class={`status status-${kind}`} role="status" data-status={delivery === 'editing' ? `draft-${save}` : delivery}>
      {text}
    </span>
  );
}

function Progress({ model }: { model: BallotModel }) {
  const state = useAppState();
  const t = useT();
  const zh = state.lang.value === 'zh';
  const current = model.forms[state.formIndex.value];
  if (!current) return null;
  const total = current.form.subjects.length;
  const done = current.rated.value;
  const top = current.top;
  const over = top ? top.count.value > top.limit : false;
  return (
    <div class="progress">
      <div class="progress-text">
        <span class="rated">{t('progress', { done, total })}</span>
        {top && (
          <span class={over ? 'top over' : 'top'} data-top-count={top.count.value}>
            {t('topCounter', { label: zh ? top.label : top.labelEn, count: top.count.value, limit: top.limit })}
          </span>
        )}
        <button type="button" class="btn small" onClick={() => nextUnanswered(state, model)}>
          {done === total ? t(state.formIndex.value === model.forms.length - 1 ? 'toReview' : 'next') : t('nextUnanswered')}
        </button>
      </div>
      <div class="meter" aria-hidden="true">
        <div class="meter-fill" style={{ width: `${total ? (100 * done) / total : 0}%` }} />
      </div>
      {over && top && (
        <p class="warn" role="alert">
          {t('topOver', { label: zh ? top.label : top.labelEn, limit: top.limit, count: top.count.value })}
        </p>
      )}
    </div>
  );
}

/**
 * Moves to the next subject not fully rated after the one last touched (wrapping around),
 * focusing its first unanswered choice; when the form is done, on to the next form or the review.
 */
function nextUnanswered(state: AppState, model: BallotModel): void {
  const index = state.formIndex.value;
  const current = model.forms[index];
  if (!current) return;
  const { form } = current;
  const unrated = (i: number) => {
    const subject = form.subjects[i];
    return subject !== undefined && form.questions.some((q) => model.cell(form.id, subject.id, q.id).value === undefined);
  };
  const active = document.activeElement?.closest('.card')?.id;
  const from = Math.max(0, form.subjects.findIndex((s) => `s-${form.id}-${s.id}` === active) + 1);
  const n = form.subjects.length;
  for (let k = 0; k < n; k++) {
    const i = (from + k) % n;
    if (!unrated(i)) continue;
    const subject = form.subjects[i]!;
    const card = document.getElementById(`s-${form.id}-${subject.id}`);
    if (!card) return;
    card.scrollIntoView({ block: 'start' });
    const blank = card.querySelector<HTMLInputElement>('.q-blank input') ?? card.querySelector('input');
    blank?.focus({ preventScroll: true });
    return;
  }
  if (index < model.forms.length - 1) state.goToForm(index + 1);
  else state.toReview();
}
