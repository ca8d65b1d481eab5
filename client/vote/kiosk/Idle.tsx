import { useEffect, useRef, useState } from 'preact/hooks';
import { useKioskT } from './words';

/**
 * How long an open ballot may sit on the tablet with no touch or key before the tablet asks
 * whether the voter is still there. A 30-subject form takes a reader a while per card, but not
 * two minutes without a single tap or scroll; and the next voter in the queue should not wait longer.
 */
export const IDLE_SECONDS = 120;
/** How long the question stays up before the tablet erases the ballot (unsubmitted) and shows the scan screen. */
export const ASK_SECONDS = 30;

/** What counts as the voter still being there (scrolling by touch starts with a pointerdown). */
const INPUT = ['pointerdown', 'touchstart', 'keydown', 'wheel'] as const;
const LISTEN = { capture: true, passive: true } as const;

/**
 * The walked-away voter: while a ballot is open (scanned, not yet submitted), IDLE_SECONDS
 * without input bring up "Still voting?" with a countdown; a tap or a key keeps the ballot,
 * the end of the countdown calls `onTimeout` (the kiosk's "next voter": erase, back to the scan
 * screen). Nothing is submitted, so the slip stays unspent. Timed by the clock, not by counting
 * timer ticks, so a throttled timer cannot stretch the countdown.
 */
export function IdleGuard({ onTimeout }: { onTimeout: () => void }) {
  const [ask, setAsk] = useState<{ until: number; now: number } | null>(null);
  const timeout = useRef(onTimeout);
  timeout.current = onTimeout;
  // The last input before the watch below starts (effects run a frame late): the guard's mount, the question's answer.
  const since = useRef(Date.now());

  useEffect(() => {
    if (ask) return;
    let last = since.current;
    let timer: ReturnType<typeof setTimeout>;
    const input = () => {
      last = Date.now();
    };
    const check = () => {
      const idle = Date.now() - last;
      if (idle < IDLE_SECONDS * 1000) timer = setTimeout(check, IDLE_SECONDS * 1000 - idle);
      else {
        const now = Date.now();
        setAsk({ until: now + ASK_SECONDS * 1000, now });
      }
    };
    for (const type of INPUT) addEventListener(type, input, LISTEN);
    check();
    return () => {
      clearTimeout(timer);
      for (const type of INPUT) removeEventListener(type, input, LISTEN);
    };
  }, [ask]);

  useEffect(() => {
    if (!ask) return;
    const left = ask.until - ask.now;
    if (left <= 0) return timeout.current();
    const timer = setTimeout(() => setAsk({ ...ask, now: Date.now() }), left % 1000 || 1000);
    return () => clearTimeout(timer);
  }, [ask]);

  const answered = () => {
    since.current = Date.now();
    setAsk(null);
  };
  return ask ? <StillVoting seconds={Math.ceil((ask.until - ask.now) / 1000)} onContinue={answered} /> : null;
}

/** The question, modal (the ballot behind it inert and hidden): any tap on it or any key answers "yes". */
function StillVoting({ seconds, onContinue }: { seconds: number; onContinue: () => void }) {
  const t = useKioskT();
  const dialog = useRef<HTMLDialogElement>(null);
  const proceed = useRef(onContinue);
  proceed.current = onContinue;

  useEffect(() => {
    const element = dialog.current!;
    element.showModal();
    // A key dismisses, and does nothing else: the key's press must not tick a choice behind.
    const key = (event: KeyboardEvent) => {
      event.preventDefault();
      proceed.current();
    };
    addEventListener('keydown', key, { capture: true });
    return () => {
      removeEventListener('keydown', key, { capture: true });
      element.close();
    };
  }, []);

  // A tap anywhere (the box or the dimmed page around it, which is the dialog too) counts on
  // its click: dismissing on pointerdown would let the same finger's release land on the ballot.
  return (
    <dialog
      ref={dialog}
      class="kiosk-idle"
      role="alertdialog"
      aria-labelledby="idle-title"
      aria-describedby="idle-text"
      onClick={onContinue}
      onCancel={(event) => {
        event.preventDefault();
        onContinue();
      }}
    >
      <h2 id="idle-title">{t('idleTitle')}</h2>
      <p class="kiosk-idle-seconds" data-seconds={Math.max(0, seconds)} aria-hidden="true">
        {Math.max(0, seconds)}
      </p>
      <p class="big" id="idle-text">
        {t('idleText', { seconds: Math.max(0, seconds) })}
      </p>
      <button type="button" class="btn primary">
        {t('idleContinue')}
      </button>
    </dialog>
  );
}
