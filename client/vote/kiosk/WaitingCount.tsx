import { useAppState } from '../state';
import { useKioskT } from './words';

/** Ballots still queued on the tablet (the Wi-Fi is down): only how many, never whose or what. */
export function WaitingCount() {
  const state = useAppState();
  const t = useKioskT();
  const count = state.lastFlush.value?.waiting ?? 0;
  if (count === 0) return null;
  return (
    <p class="kiosk-waiting" role="status" data-waiting={count}>
      <strong>{t('waitingCount', { count })}</strong> {t('waitingText')}
    </p>
  );
}
