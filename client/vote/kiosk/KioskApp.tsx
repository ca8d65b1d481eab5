import { View } from '../components/App';
import { Header } from '../components/Header';
import { SlipError, UpdateBanner } from '../components/Notices';
import { AppContext, type AppState } from '../state';
import { KioskReceipt, KioskSaved } from './Done';
import { IdleGuard } from './Idle';
import { Scan } from './Scan';
import { useKioskT } from './words';

/** The shared tablet: the ballot's own screens, with a scan screen before them and a forgetting receipt after. */
export function KioskApp({ state, onNext }: { state: AppState; onNext: () => void }) {
  return (
    <AppContext.Provider value={state}>
      <Header />
      <UpdateBanner />
      <main id="main" data-view={state.view.value} data-kiosk="true">
        <Screen state={state} onNext={onNext} />
        {ballotOpen(state) && <IdleGuard onTimeout={onNext} />}
      </main>
    </AppContext.Provider>
  );
}

/**
 * A voter's ballot is open on the tablet: scanned and not submitted (being filled in, reviewed,
 * or refused and back with the voter), or a slip that could not be opened. A voter who walks
 * away from it leaves it to the next one: the idle guard erases it (kept out of the outbox:
 * a submitted ballot is never open).
 */
function ballotOpen(state: AppState): boolean {
  const view = state.view.value;
  if (view === 'ballot' || view === 'review') return state.ballot.value !== null;
  return view === 'slipError' || (view === 'delivery' && state.delivery.value === 'problem');
}

function Screen({ state, onNext }: { state: AppState; onNext: () => void }) {
  const view = state.view.value;
  const delivery = state.delivery.value;
  if (view === 'welcome') return <Scan onSlip={(token) => void state.openSlip(token)} />;
  if (view === 'receipt') return <KioskReceipt onNext={onNext} />;
  if (view === 'delivery' && delivery === 'waiting') return <KioskSaved onNext={onNext} />;
  if (view === 'slipError')
    return (
      <>
        <SlipError />
        <Leave onNext={onNext} word="backToScan" />
      </>
    );
  if (view === 'delivery' && delivery === 'problem')
    return (
      <>
        <View state={state} />
        <Leave onNext={onNext} word="endBallot" />
      </>
    );
  return <View state={state} />;
}

/** Back to the scan screen from a slip or ballot that cannot go on (staff decide). */
function Leave({ onNext, word }: { onNext: () => void; word: 'backToScan' | 'endBallot' }) {
  const t = useKioskT();
  return (
    <div class="pager">
      <button type="button" class="btn" onClick={onNext}>
        {t(word)}
      </button>
    </div>
  );
}
