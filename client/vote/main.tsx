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

const state = createAppState();
document.documentElement.lang = state.lang.value === 'zh' ? 'zh-CN' : 'en';
const token = takeToken();
render(<App state={state} />, document.getElementById('app')!);

void (async () => {
  // The screen first (the slip's draft, or the resumed one), then deliver whatever is queued.
  await (token ? state.openSlip(token) : state.resume());
  state.connectDelivery(startDelivery((report) => void state.onReport(report), () => state.onFlushStart()));
  addEventListener('hashchange', () => {
    const next = takeToken();
    if (next) void state.openSlip(next);
  });
  void connectServiceWorker(state);
})();
