import { render } from 'preact';
import { App } from './components/App';
import { normaliseToken } from '../../shared/token';
import { startDelivery } from './delivery';
import { createAppState } from './state';
import { connectServiceWorker } from './sw-bridge';
import './styles.css';

/**
 * The voter page. The slip's token arrives in the URL fragment (`/vote#<token>`), is taken
 * out of the visible URL at once, and lives on only in memory and in the draft's key.
 * `/vote?kiosk` is the venue's shared tablet: its code (camera scan, erasing each ballot after
 * its receipt) is a chunk of its own, loaded only there, so phones never download it.
 */
function takeToken(): string | null {
  let token = location.hash.slice(1);
  try {
    token = decodeURIComponent(token);
  } catch {
    // a mangled fragment: the server will not know it either
  }
  token = normaliseToken(token);
  if (location.hash) history.replaceState(null, '', location.pathname + location.search);
  return token || null;
}

const kiosk = new URLSearchParams(location.search).has('kiosk');
const state = createAppState({ shared: kiosk });
document.documentElement.lang = state.lang.value === 'zh' ? 'zh-CN' : 'en';
const token = takeToken();
render(<App state={state} />, document.getElementById('app')!);

/** The kiosk's screens take over the page; if its chunk cannot load (offline before it was cached), the phone's screens stay. */
async function startKiosk(): Promise<boolean> {
  try {
    const { startKiosk } = await import('./kiosk/kiosk');
    await startKiosk(state, document.getElementById('app')!, token);
    return true;
  } catch {
    return false;
  }
}

void (async () => {
  // The screen first (the slip's draft, or the resumed one), then deliver whatever is queued.
  if (!(kiosk && (await startKiosk()))) await (token ? state.openSlip(token) : state.resume());
  state.connectDelivery(startDelivery((report) => void state.onReport(report), () => state.onFlushStart()));
  addEventListener('hashchange', () => {
    const next = takeToken();
    if (next) void state.openSlip(next);
  });
  void connectServiceWorker(state);
})();
