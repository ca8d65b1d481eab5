import { errorMessage } from '../i18n';
import { useAppState } from '../state';
import { useFocusOnMount, useT } from './hooks';

export function Loading() {
  const t = useT();
  return (
    <p class="panel notice" role="status">
      {t('loading')}
    </p>
  );
}

export function Welcome() {
  const t = useT();
  const heading = useFocusOnMount<HTMLHeadingElement>();
  return (
    <section class="panel notice" aria-labelledby="welcome-title">
      <h2 id="welcome-title" tabIndex={-1} ref={heading}>
        {t('welcomeTitle')}
      </h2>
      <p class="big">{t('welcomeText')}</p>
    </section>
  );
}

/** A slip that cannot be opened: unknown, used, sitting closed or not open, or no network. */
export function SlipError() {
  const state = useAppState();
  const t = useT();
  const code = state.slipProblem.value ?? 'unknown_token';
  const heading = useFocusOnMount<HTMLHeadingElement>();
  const offline = code === 'offline';
  return (
    <section class="panel bad notice" aria-labelledby="slip-title" data-problem={code}>
      <h2 id="slip-title" tabIndex={-1} ref={heading}>
        {t('slipErrorTitle')}
      </h2>
      <p class="big">{offline ? t('offlineSlip') : errorMessage(state.lang.value, code)}</p>
      <p class="muted">{t('contactStaff')}</p>
      {(offline || code === 'too_many_attempts' || code === 'sitting_not_open') && (
        <div class="pager">
          <button type="button" class="btn primary" onClick={() => void state.retrySlip()}>
            {t('retry')}
          </button>
        </div>
      )}
    </section>
  );
}

/** A new version is ready: it waits for the voter (the draft is saved on every change, so nothing is lost). */
export function UpdateBanner() {
  const state = useAppState();
  const t = useT();
  const update = state.update.value;
  if (!update) return null;
  return (
    <div class="update" role="status">
      <span>{t('updateReady')}</span>
      <button type="button" class="btn small" onClick={update}>
        {t('updateNow')}
      </button>
    </div>
  );
}
