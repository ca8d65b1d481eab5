import type { Browser, BrowserContext, Page } from 'playwright-core';

/** The venue tablet: 800 x 1280 portrait, touch, Chinese. */
export function tabletContext(browser: Browser): Promise<BrowserContext> {
  return browser.newContext({ viewport: { width: 800, height: 1280 }, deviceScaleFactor: 1, hasTouch: true, locale: 'zh-CN' });
}

/** Everything the page's origin keeps that a later voter (or whoever takes the tablet) could read. */
export interface Traces {
  /** Every IndexedDB database of the origin, every store, every record. */
  indexedDb: Record<string, Record<string, unknown[]>>;
  localStorage: Record<string, string>;
  sessionStorage: Record<string, string>;
  /** The current URL, history.state, and the URL of every entry of this tab's history (Navigation API). */
  history: { href: string; state: unknown; length: number; entries: string[] };
  /** Every Cache API entry: its URL and its body as text. */
  caches: { cache: string; url: string; body: string }[];
}

export function traces(page: Page): Promise<Traces> {
  return page.evaluate(async () => {
    const indexedDb: Record<string, Record<string, unknown[]>> = {};
    for (const { name } of await indexedDB.databases()) {
      if (!name) continue;
      const db = await new Promise<IDBDatabase>((done, fail) => {
        const req = indexedDB.open(name);
        req.onsuccess = () => done(req.result);
        req.onerror = () => fail(req.error);
      });
      const stores: Record<string, unknown[]> = {};
      for (const store of Array.from(db.objectStoreNames)) {
        stores[store] = await new Promise<unknown[]>((done, fail) => {
          const req = db.transaction(store).objectStore(store).getAll();
          req.onsuccess = () => done(req.result);
          req.onerror = () => fail(req.error);
        });
      }
      db.close();
      indexedDb[name] = stores;
    }
    const storage = (s: Storage) => Object.fromEntries(Array.from({ length: s.length }, (_, i) => s.key(i)!).map((k) => [k, s.getItem(k)!]));
    const nav = (globalThis as { navigation?: { entries(): { url: string | null }[] } }).navigation;
    const cached: { cache: string; url: string; body: string }[] = [];
    for (const name of await caches.keys()) {
      const cache = await caches.open(name);
      for (const request of await cache.keys()) cached.push({ cache: name, url: request.url, body: (await (await cache.match(request))?.text()) ?? '' });
    }
    return {
      indexedDb,
      localStorage: storage(localStorage),
      sessionStorage: storage(sessionStorage),
      history: { href: location.href, state: history.state, length: history.length, entries: nav ? nav.entries().map((e) => e.url ?? '') : [] },
      caches: cached,
    };
  });
}

/** The strings of `secrets` found anywhere in the traces (empty: the tablet keeps none of them). */
export function leaked(found: Traces, secrets: string[]): string[] {
  const text = JSON.stringify(found).toLowerCase();
  return secrets.filter((secret) => text.includes(secret.toLowerCase()));
}
