import type { AnswerProblem } from '../../../shared/answers';
import { errorMessage } from '../i18n';
import { useAppState, type BallotModel } from '../state';
import { useFocusOnMount, useT } from './hooks';
import { describeProblems } from './Review';

function problemList(details: unknown): AnswerProblem[] {
  const problems = (details as { problems?: unknown } | undefined)?.problems;
  return Array.isArray(problems) ? (problems as AnswerProblem[]) : [];
}

/** After submit: saved on this phone and on its way, waiting for the network, or refused (and why). */
export function Delivery({ model }: { model: BallotModel }) {
  const state = useAppState();
  const t = useT();
  const lang = state.lang.value;
  const delivery = state.delivery.value;
  const problem = state.problem.value;
  const heading = useFocusOnMount<HTMLHeadingElement>();
  if (delivery === 'problem' && problem) {
    const details = describeProblems(lang, model.draft.definition, problemList(problem.details));
    return (
      <section class="panel bad notice" aria-labelledby="delivery-title" data-problem={problem.code}>
        <h2 id="delivery-title" tabIndex={-1} ref={heading}>
          {t('problemTitle')}
        </h2>
        <p class="big">{errorMessage(lang, problem.code)}</p>
        {details.length > 0 && (
          <ul>
            {details.slice(0, 20).map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        )}
        <p>{t('keptDraft')}</p>
        <p class="muted">{t('contactStaff')}</p>
        <div class="pager">
          <button type="button" class="btn" onClick={() => void state.edit()}>
            {problem.code === 'invalid_answers' ? t('edit') : t('viewAnswers')}
          </button>
        </div>
      </section>
    );
  }
  const waiting = delivery === 'waiting';
  // A server that answered but could not store (storage_full, busy) says so; otherwise it is the network.
  const serverReason = waiting ? state.waitReason.value : null;
  return (
    <section class="panel notice" aria-labelledby="delivery-title" data-wait-reason={serverReason ?? undefined}>
      <h2 id="delivery-title" tabIndex={-1} ref={heading}>
        {serverReason ? t('serverWaitTitle') : waiting ? t('waitingTitle') : t('queuedTitle')}
      </h2>
      <p class="big">{serverReason ? errorMessage(lang, serverReason) : waiting ? t('waitingText') : t('sendingText')}</p>
      {waiting && (
        <div class="pager">
          <button type="button" class="btn primary" onClick={() => state.retryDelivery()}>
            {t('retryNow')}
          </button>
        </div>
      )}
    </section>
  );
}
