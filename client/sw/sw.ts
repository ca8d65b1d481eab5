/// <reference lib="webworker" />
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { flushOutbox, OUTBOX_SYNC_TAG } from '../vote/outbox';

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: (string | { url: string; revision: string | null })[] };

// The app shell (HTML, the voter bundle, the manifest, icons) comes from the device when offline.
precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();

// The voter page opens offline: /vote is answered with the precached vote.html, with or without a
// trailing slash or a query string (WeChat and other apps append one, e.g. ?from=singlemessage).
registerRoute(new NavigationRoute(createHandlerBoundToURL('vote.html'), { allowlist: [/^\/vote\/?(\?.*)?$/] }));

// A new version waits until the page says so (never mid-ballot): see client/vote/sw-bridge.ts.
self.addEventListener('message', (event) => {
  if ((event.data as { type?: string } | null)?.type === 'SKIP_WAITING') void self.skipWaiting();
});

// Background Sync (Chromium only; the page flushes on its own everywhere): deliver the outbox
// when the network returns, tell open pages what happened, and ask to be retried while ballots wait.
interface SyncEvent extends ExtendableEvent {
  readonly tag: string;
}
self.addEventListener('sync', (event) => {
  const sync = event as SyncEvent;
  if (sync.tag !== OUTBOX_SYNC_TAG) return;
  sync.waitUntil(
    (async () => {
      const report = await flushOutbox();
      for (const client of await self.clients.matchAll({ type: 'window' })) client.postMessage({ type: 'OUTBOX_REPORT', report });
      if (report.waiting > 0) throw new Error('outbox: ballots still waiting for the network');
    })(),
  );
});
