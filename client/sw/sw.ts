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

/**
 * The shared tablet's code (/vote?kiosk: its chunk and its QR decoder, named so by
 * vite.config.ts) is in the manifest but not in the precache: every phone would download it on
 * its first visit. A kiosk keeps it in a cache of its own instead, filled when the kiosk page
 * asks (CACHE_KIOSK) or the first time it loads it through this worker, and refilled with each
 * new version's files while that version installs, so the tablet keeps opening offline.
 * (The manifest is read once: workbox-build injects it at the one place that names it.)
 */
const MANIFEST = self.__WB_MANIFEST;
const KIOSK_FILE = /(^|\/)assets\/kiosk[\w-]*\.js$/;
const KIOSK_CACHE = 'ceping-kiosk';
const entryUrl = (entry: string | { url: string }) => (typeof entry === 'string' ? entry : entry.url);
const kioskUrls = MANIFEST.map(entryUrl).filter((url) => KIOSK_FILE.test(url)).map((url) => new URL(url, self.location.href).href);

async function cacheKiosk(): Promise<void> {
  const cache = await caches.open(KIOSK_CACHE);
  const cached = new Set((await cache.keys()).map((request) => request.url));
  // Named by their hash: a copy in the HTTP cache is the file.
  await cache.addAll(kioskUrls.filter((url) => !cached.has(url)));
}

async function kioskFile(event: FetchEvent): Promise<Response> {
  const cache = await caches.open(KIOSK_CACHE);
  const hit = await cache.match(event.request);
  if (hit) return hit;
  const response = await fetch(event.request);
  if (response.ok) event.waitUntil(cache.put(event.request, response.clone()));
  return response;
}

// The app shell (the voter page and every asset it loads, the lazy chunks included) comes from
// the device when offline. Icons and the web manifest are not precached: the browser fetches
// those itself when it installs the app, online.
const precache = new PrecacheController({ plugins: [reuseHttpCache] });
precache.precache(MANIFEST.filter((entry) => !KIOSK_FILE.test(entryUrl(entry))));
cleanupOutdatedCaches();
const shell = precache.createHandlerBoundToURL(SHELL);

// A kiosk (it has the kiosk cache) gets the new version's kiosk files with the rest of it, and
// drops the old ones only once the new version is in charge (an old page may still load them).
self.addEventListener('install', (event) => {
  event.waitUntil(caches.has(KIOSK_CACHE).then((kiosk) => (kiosk ? cacheKiosk() : undefined)));
});
self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      if (!(await caches.has(KIOSK_CACHE))) return;
      const cache = await caches.open(KIOSK_CACHE);
      for (const request of await cache.keys()) if (!kioskUrls.includes(request.url)) await cache.delete(request);
    })(),
  );
});

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
  if (kioskUrls.includes(url.href)) {
    event.respondWith(kioskFile(event));
    return;
  }
  // A precached file (the page's scripts and styles) from the device; anything else (the API) goes to the network.
  const cacheKey = precache.getCacheKeyForURL(request.url);
  if (cacheKey) event.respondWith(precache.strategy.handle({ event, request, params: { cacheKey } }));
});

// A new version waits until the page says so (never mid-ballot): see client/vote/sw-bridge.ts.
// The kiosk page asks for its own files to be kept (client/vote/sw-bridge.ts keepKioskOffline).
self.addEventListener('message', (event) => {
  const type = (event.data as { type?: string } | null)?.type;
  if (type === 'SKIP_WAITING') void self.skipWaiting();
  if (type === 'CACHE_KIOSK') event.waitUntil(cacheKiosk());
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
