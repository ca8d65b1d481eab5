/// <reference lib="webworker" />
// workbox-precaching by module, not through its index: the index also pulls in workbox-routing
// (PrecacheRoute, addRoute), which this worker does not need for one page and its assets.
import { cleanupOutdatedCaches } from 'workbox-precaching/cleanupOutdatedCaches.js';
import { PrecacheController } from 'workbox-precaching/PrecacheController.js';
import { flushOutbox, OUTBOX_SYNC_TAG } from '../vote/outbox';

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: (string | { url: string; revision: string | null })[] };

/** The voter page's own address: precached under it, so the page's first load can be reused. */
const SHELL = '/vote';

type Plugin = NonNullable<ConstructorParameters<typeof PrecacheController>[0]>['plugins'] extends (infer P)[] | undefined ? P : never;

async function sha256(response: Response): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', await response.arrayBuffer()));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Precache without downloading twice. Files named by their hash (the assets) already come from
 * the HTTP cache (they are immutable). Workbox fetches every other entry (the page) with
 * `cache: 'reload'`, past the HTTP cache, although the page was fetched a moment earlier: here
 * the copy in the HTTP cache is taken instead when its bytes are those of the entry's revision
 * (the build writes each revision as the SHA-256 of the file, see vite.config.ts). A copy that
 * is missing, stale or different is fetched again, revalidated with the server.
 */
const reuseHttpCache: Plugin = {
  requestWillFetch: async ({ request, event }) => (event?.type === 'install' && request.cache === 'reload' ? new Request(request, { cache: 'force-cache' }) : request),
  fetchDidSucceed: async ({ request, response }) => {
    if (request.cache !== 'force-cache') return response;
    const revision = new URL(precache.getCacheKeyForURL(request.url) ?? request.url).searchParams.get('__WB_REVISION__');
    if (response.ok && revision && (await sha256(response.clone())).startsWith(revision)) return response;
    return fetch(new Request(request, { cache: 'no-cache' }));
  },
};

// The app shell (the voter page and every asset it loads, the lazy chunks included) comes from
// the device when offline. Icons and the web manifest are not precached: the browser fetches
// those itself when it installs the app, online.
const precache = new PrecacheController({ plugins: [reuseHttpCache] });
precache.precache(self.__WB_MANIFEST);
cleanupOutdatedCaches();
const shell = precache.createHandlerBoundToURL(SHELL);

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  // The voter page opens offline: /vote is answered with the precached page, with or without a
  // trailing slash or a query string (WeChat and other apps append one, e.g. ?from=singlemessage),
  // and so is /vote.html, the file's own name.
  if (request.mode === 'navigate' && /^\/vote(\/|\.html)?$/.test(url.pathname)) {
    event.respondWith(shell({ event, request, url }));
    return;
  }
  // A precached file (the page's scripts and styles) from the device; anything else (the API) goes to the network.
  const cacheKey = precache.getCacheKeyForURL(request.url);
  if (cacheKey) event.respondWith(precache.strategy.handle({ event, request, params: { cacheKey } }));
});

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
