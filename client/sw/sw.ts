/// <reference lib="webworker" />
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: (string | { url: string; revision: string | null })[] };

// The app shell (HTML, the voter bundle, the manifest, icons) comes from the device when offline.
precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();

// The voter page opens offline: /vote is answered with the precached vote.html.
registerRoute(new NavigationRoute(createHandlerBoundToURL('vote.html'), { allowlist: [/^\/vote\/?$/] }));

// A new version waits until the page says so (never mid-ballot): see client/sw-bridge.ts.
self.addEventListener('message', (event) => {
  if ((event.data as { type?: string } | null)?.type === 'SKIP_WAITING') void self.skipWaiting();
});
