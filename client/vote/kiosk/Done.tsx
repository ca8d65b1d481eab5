import { useEffect, useRef, useState } from 'preact/hooks';
import { useFocusOnMount } from '../components/hooks';
import { ReceiptPanel } from '../components/Receipt';
import { WaitingCount } from './WaitingCount';
import { useKioskT } from './words';

/** How long a receipt (or "saved") stays on the tablet before it erases the ballot by itself. */
export const SHOW_SECONDS = 8;

/** The big "next voter" button and the countdown that presses it. */
export function NextVoter({ onNext }: { onNext: () => void }) {
  const t = useKioskT();
  const [left, setLeft] = useState(SHOW_SECONDS);
  const next = useRef(onNext);
  next.current = onNext;
  useEffect(() => {
    if (left <= 0) return next.current();
    const id = setTimeout(() => setLeft(left - 1), 1000);
    return () => clearTimeout(id);
  }, [left]);
  return (
    <div class="kiosk-next">
      <button type="button" class="btn primary" onClick={onNext}>
        {t('nextVoter')}
      </button>
      <p class="kiosk-countdown" data-seconds={left}>
        {t('countdown', { seconds: Math.max(0, left) })}
      </p>
    </div>
  );
}

/** The receipt, shown for a few seconds and then erased: the tablet keeps no copy of it. */
export function KioskReceipt({ onNext }: { onNext: () => void }) {
  const kt = useKioskT();
  return (
    <ReceiptPanel extraClass="kiosk-done">
      <p>{kt('receiptKiosk')}</p>
      <NextVoter onNext={onNext} />
    </ReceiptPanel>
  );
}

/** Submitted with the Wi-Fi down: queued on the tablet, delivered later; the voter need not wait for it. */
export function KioskSaved({ onNext }: { onNext: () => void }) {
  const kt = useKioskT();
  const heading = useFocusOnMount<HTMLHeadingElement>();
  return (
    <section class="panel notice kiosk-done" aria-labelledby="saved-title">
      <h2 id="saved-title" tabIndex={-1} ref={heading}>
        {kt('savedTitle')}
      </h2>
      <p class="big">{kt('savedText')}</p>
      <WaitingCount />
      <NextVoter onNext={onNext} />
    </section>
  );
}
