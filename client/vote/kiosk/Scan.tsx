import { useEffect, useRef, useState } from 'preact/hooks';
import { useFocusOnMount } from '../components/hooks';
import { startCamera, type Camera } from './camera';
import { slipFromText, type SlipText } from './slip';
import { WaitingCount } from './WaitingCount';
import { useKioskT, type KioskWord } from './words';

type CameraState = 'starting' | 'on' | 'off';
type Problem = Extract<SlipText, { problem: string }>['problem'];

/** The tablet's start screen: the camera looks for a slip's QR code; typing the code is the fallback. */
export function Scan({ onSlip }: { onSlip: (token: string) => void }) {
  const t = useKioskT();
  const heading = useFocusOnMount<HTMLHeadingElement>();
  const video = useRef<HTMLVideoElement>(null);
  const [camera, setCamera] = useState<CameraState>('starting');
  const [decoder, setDecoder] = useState<Camera['decoder'] | null>(null);
  const [attempt, setAttempt] = useState(0);
  const [seen, setSeen] = useState<Problem | null>(null);
  const [typed, setTyped] = useState('');
  const [typedProblem, setTypedProblem] = useState<Problem | null>(null);

  useEffect(() => {
    let gone = false;
    let running: Camera | undefined;
    setCamera('starting');
    startCamera(video.current!, (text) => {
      const slip = slipFromText(text);
      if ('token' in slip) {
        onSlip(slip.token);
        return true;
      }
      setSeen(slip.problem);
      return false;
    }).then(
      (started) => {
        if (gone) return started.stop();
        running = started;
        setDecoder(started.decoder);
        setCamera('on');
      },
      () => !gone && setCamera('off'),
    );
    return () => {
      gone = true;
      running?.stop();
    };
  }, [attempt]);

  const problemWord: Record<Problem, KioskWord> = { empty: 'empty', shortCode: 'shortCode', notASlip: 'notASlip', badCode: 'badCode' };
  return (
    <section class="kiosk-scan" aria-labelledby="scan-title">
      <h2 id="scan-title" tabIndex={-1} ref={heading}>
        {t('scanTitle')}
      </h2>
      <p class="big">{t('scanText')}</p>
      <div class="kiosk-camera" data-camera={camera} data-decoder={decoder ?? undefined}>
        <video ref={video} muted playsInline aria-hidden="true" />
        {camera !== 'on' && <p class="kiosk-camera-note">{t(camera === 'starting' ? 'cameraStarting' : 'cameraOff')}</p>}
      </div>
      {seen && camera === 'on' && (
        <p class="warn" role="alert">
          {t(problemWord[seen])}
        </p>
      )}
      {camera === 'off' && (
        <div class="pager">
          <button type="button" class="btn" onClick={() => setAttempt((n) => n + 1)}>
            {t('cameraRetry')}
          </button>
        </div>
      )}
      <form
        class="kiosk-code panel"
        onSubmit={(event) => {
          // Never a real submission: the code must not reach the URL, the history or the browser's form memory.
          event.preventDefault();
          const slip = slipFromText(typed);
          if ('token' in slip) {
            setTyped('');
            onSlip(slip.token);
          } else setTypedProblem(slip.problem);
        }}
      >
        <label for="kiosk-code">{t('typeLabel')}</label>
        <p class="muted" id="kiosk-code-hint">
          {t('typeHint')}
        </p>
        <div class="kiosk-code-row">
          <input
            id="kiosk-code"
            type="text"
            value={typed}
            autoComplete="off"
            autoCapitalize="characters"
            spellcheck={false}
            enterKeyHint="go"
            aria-describedby="kiosk-code-hint"
            aria-invalid={typedProblem ? 'true' : undefined}
            onInput={(event) => {
              setTyped(event.currentTarget.value);
              setTypedProblem(null);
            }}
          />
          <button type="submit" class="btn primary">
            {t('open')}
          </button>
        </div>
        {typedProblem && (
          <p class="warn" role="alert">
            {t(problemWord[typedProblem])}
          </p>
        )}
      </form>
      <WaitingCount />
    </section>
  );
}
