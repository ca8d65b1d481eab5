import { setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import { ApiError } from '../../http/errors';
import type { ImportLimits } from '../../limits';
import { readFirstSheet } from './xlsx-sheet';

/**
 * The XLSX worker (started and reused by xlsx-read.ts): reads one file at a time and posts its
 * rows back in slices small enough that taking each one in costs the server's event loop
 * little, then `done`; or one `refused` with the error the request gets.
 */

export interface XlsxJob {
  bytes: Uint8Array;
  limits: ImportLimits;
}

export type XlsxWorkerMessage =
  | { type: 'rows'; rows: string[][] }
  | { type: 'done' }
  | { type: 'refused'; status: number; code: string; details?: unknown };

/** Cells per message: taking in 20,000 strings is well under a millisecond. */
const CELLS_PER_MESSAGE = 20_000;

async function run(port: NonNullable<typeof parentPort>, { bytes, limits }: XlsxJob) {
  const post = (message: XlsxWorkerMessage) => port.postMessage(message);
  try {
    const table = await readFirstSheet(bytes, limits);
    let slice: string[][] = [];
    let cells = 0;
    for (const row of table) {
      slice.push(row);
      cells += row.length + 1;
      if (cells >= CELLS_PER_MESSAGE) {
        post({ type: 'rows', rows: slice });
        slice = [];
        cells = 0;
      }
    }
    if (slice.length > 0) post({ type: 'rows', rows: slice });
    post({ type: 'done' });
  } catch (err) {
    if (err instanceof ApiError) post({ type: 'refused', status: err.status, code: err.code, details: err.details });
    else throw err;
  }
}

const port = parentPort;
if (port) {
  // On Linux the nice value belongs to the thread (setpriority(2), NPTL): lowering this worker's
  // lets the server's event loop, the voters' requests, win a contended CPU. Elsewhere it would
  // lower the whole server, so it is left alone there.
  if (process.platform === 'linux') {
    try {
      setPriority(0, 10);
    } catch {
      // not allowed here: read at the same priority
    }
  }
  port.on('message', (job: XlsxJob) => void run(port, job));
}
