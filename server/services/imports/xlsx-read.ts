import type { Worker } from 'node:worker_threads';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ErrorCode } from '../../../shared/errors';
import { ApiError } from '../../http/errors';
import type { ImportLimits } from '../../limits';
import type { XlsxJob, XlsxWorkerMessage } from './xlsx-worker';
import { tsWorker } from '../ts-worker';
import { checkDirectory, tooLarge } from './xlsx-sheet';

/**
 * Reads an XLSX file off the event loop. The ZIP directory is checked here first (a file that
 * claims too much is refused before anything is inflated); then a worker thread with a bounded
 * heap reads it, and is terminated if the time budget runs out or its heap fills. A worker that
 * finished in time is kept for the next file (starting one takes about half a second) and ends
 * after a minute unused. At most `parallelReads` files are read at once; the others wait.
 */

const WORKER = new URL('./xlsx-worker.ts', import.meta.url);

/** An idle worker ends after this long unused. */
const IDLE_MS = 60_000;

let running = 0;
const waiting: (() => void)[] = [];
const idle: { worker: Worker; heapMb: number; timer: NodeJS.Timeout }[] = [];

async function slot(limits: ImportLimits): Promise<() => void> {
  if (running < limits.parallelReads) running++;
  else await new Promise<void>((turn) => waiting.push(turn)); // the slot is handed over, `running` unchanged
  let released = false;
  return () => {
    if (released) return;
    released = true;
    const next = waiting.shift();
    if (next) next();
    else running--;
  };
}

function takeWorker(heapMb: number): Worker {
  const i = idle.findIndex((w) => w.heapMb === heapMb);
  if (i >= 0) {
    const [{ worker, timer }] = idle.splice(i, 1) as [(typeof idle)[number]];
    clearTimeout(timer);
    worker.ref();
    return worker;
  }
  const worker = tsWorker(WORKER, { resourceLimits: { maxOldGenerationSizeMb: heapMb, maxYoungGenerationSizeMb: 32 } });
  // Always heard, busy or idle: an unheard worker error would end the server. One that ends while idle is forgotten.
  worker.on('error', () => {});
  worker.on('exit', () => {
    const i = idle.findIndex((w) => w.worker === worker);
    if (i >= 0) clearTimeout(idle.splice(i, 1)[0]!.timer);
  });
  return worker;
}

function keepWorker(worker: Worker, heapMb: number) {
  worker.unref();
  const timer = setTimeout(() => void worker.terminate(), IDLE_MS);
  timer.unref();
  idle.push({ worker, heapMb, timer });
}

export async function readXlsx(bytes: Uint8Array, limits: ImportLimits): Promise<string[][]> {
  checkDirectory(bytes, limits);
  const release = await slot(limits);
  try {
    return await inWorker(bytes, limits);
  } finally {
    release();
  }
}

function inWorker(bytes: Uint8Array, limits: ImportLimits): Promise<string[][]> {
  const worker = takeWorker(limits.workerHeapMb);
  return new Promise<string[][]>((resolve, reject) => {
    const table: string[][] = [];
    let settled = false;
    const settle = (outcome: () => void, reuse: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      worker.off('message', onMessage).off('error', onError).off('exit', onExit);
      if (reuse) keepWorker(worker, limits.workerHeapMb);
      else void worker.terminate();
      outcome();
    };
    const timer = setTimeout(() => settle(() => reject(new ApiError(422, 'import_too_slow', { limit: limits.timeBudgetMs, unit: 'ms' })), false), limits.timeBudgetMs);
    const onMessage = (message: XlsxWorkerMessage) => {
      if (message.type === 'rows') for (const row of message.rows) table.push(row);
      else if (message.type === 'done') settle(() => resolve(table), true);
      else settle(() => reject(new ApiError(message.status as ContentfulStatusCode, message.code as ErrorCode, message.details)), true);
    };
    const onError = (err: Error & { code?: string }) => settle(() => reject(err.code === 'ERR_WORKER_OUT_OF_MEMORY' ? tooLarge(limits) : err), false);
    const onExit = (code: number) => settle(() => reject(new Error(`XLSX worker exited with code ${code} before it answered`)), false);
    worker.on('message', onMessage).on('error', onError).on('exit', onExit);
    // A copy of its own for the worker, moved rather than cloned; the request keeps its bytes.
    const copy = bytes.slice();
    const job: XlsxJob = { bytes: copy, limits };
    worker.postMessage(job, [copy.buffer]);
  });
}
