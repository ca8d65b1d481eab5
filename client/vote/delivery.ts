import { flushOutbox, OUTBOX_SYNC_TAG, type FlushReport } from './outbox';

/**
 * When the page flushes the outbox: on start, after each enqueue, on `online`, when the page
 * becomes visible again, and with backoff (1 s doubling to 30 s, jittered) while ballots are
 * still waiting. Background Sync is asked for as an extra where the browser has it.
 */
export function startDelivery(onReport: (report: FlushReport) => void, onStart: () => void): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let backoff = 0;

  async function run(): Promise<void> {
    clearTimeout(timer);
    onStart();
    const report = await flushOutbox();
    onReport(report);
    if (report.waiting > 0) {
      backoff = Math.min(30_000, backoff ? backoff * 2 : 1000);
      timer = setTimeout(() => void run(), backoff * (0.75 + Math.random() * 0.5));
    } else {
      backoff = 0;
    }
  }

  addEventListener('online', () => {
    backoff = 0;
    void run();
  });
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') void run();
  });
  void run();
  return () => {
    backoff = 0;
    void run();
    requestBackgroundSync();
  };
}

interface SyncRegistration extends ServiceWorkerRegistration {
  sync?: { register(tag: string): Promise<void> };
}

/** Chromium's Background Sync: the service worker flushes the same outbox when the network returns. */
function requestBackgroundSync(): void {
  if (!('serviceWorker' in navigator) || !navigator.serviceWorker.controller) return;
  void navigator.serviceWorker.ready.then((reg: SyncRegistration) => reg.sync?.register(OUTBOX_SYNC_TAG)).catch(() => undefined);
}
