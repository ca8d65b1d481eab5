import { Workbox } from 'workbox-window';
import type { AppState } from './state';
import type { FlushReport } from './outbox';

/**
 * Everything the page does with the service worker, in one place: registration, the update
 * prompt (a new version waits for the voter's tap and never reloads mid-ballot; the draft is
 * saved on every change and reloads from IndexedDB), and the outbox reports of Background Sync.
 * workbox-window is part of the page's script (~2 KB of brotli): as a chunk of its own it cost a
 * request and its ~1 KB of headers more on every phone's first visit, for no earlier paint that
 * a voter would notice.
 */
export async function connectServiceWorker(state: AppState): Promise<void> {
  if (!('serviceWorker' in navigator) || !import.meta.env.PROD) return;
  navigator.serviceWorker.addEventListener('message', (event: MessageEvent<{ type?: string; report?: FlushReport } | null>) => {
    if (event.data?.type === 'OUTBOX_REPORT' && event.data.report) void state.onReport(event.data.report);
  });
  const wb = new Workbox('/sw.js', { scope: '/' });
  wb.addEventListener('waiting', () => {
    state.update.value = () => {
      state.update.value = null;
      wb.addEventListener('controlling', () => location.reload());
      wb.messageSkipWaiting();
    };
  });
  await wb.register();
}

/**
 * The kiosk's code is left out of every phone's precache (client/sw/sw.ts): a kiosk asks the
 * worker to keep it on this device, so the tablet opens offline too. From then on the worker
 * also fetches the kiosk code of each new version while it installs.
 */
export function keepKioskOffline(): void {
  if (!('serviceWorker' in navigator) || !import.meta.env.PROD) return;
  void navigator.serviceWorker.ready.then((reg) => reg.active?.postMessage({ type: 'CACHE_KIOSK' })).catch(() => undefined);
}
