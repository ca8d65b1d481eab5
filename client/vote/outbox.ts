import { submitBallot } from './api';
import { voterDb, type Draft, type Problem, type Receipt } from './db';

/**
 * The outbox: ballots the voter submitted, kept on the phone until the server answers.
 * Enqueueing is a strict-durability write; the flush is single-flight, closes every
 * transaction before it fetches, and classifies each answer: accepted (draft erased,
 * receipt kept), refused (a final 4xx: the draft is kept and marked for the voter) or
 * retry (network error, 5xx: stays queued). DOM-free: the service worker's Background
 * Sync runs the same flush.
 */

export const OUTBOX_SYNC_TAG = 'ceping-outbox';

export type DeliveryOutcome =
  | { submissionId: string; kind: 'accepted'; receipt: Receipt }
  | { submissionId: string; kind: 'refused'; problem: Problem }
  | { submissionId: string; kind: 'retry'; code?: string };

export interface FlushReport {
  outcomes: DeliveryOutcome[];
  /** Ballots still queued after this flush (waiting for the network). */
  waiting: number;
}

/** Queues the draft's ballot; the draft stays (status queued) until the server accepts it. */
export async function enqueue(draft: Draft): Promise<Draft> {
  const db = await voterDb();
  const queued: Draft = { ...draft, status: 'queued', updatedAt: Date.now() };
  delete queued.problem;
  const tx = db.transaction(['outbox', 'drafts'], 'readwrite', { durability: 'strict' });
  await Promise.all([
    tx.objectStore('outbox').put({ submissionId: draft.submissionId, sittingId: draft.sittingId, token: draft.token, answers: draft.answers, attempts: 0 }),
    tx.objectStore('drafts').put(queued),
    tx.done,
  ]);
  return queued;
}

let running: Promise<FlushReport> | undefined;
let again = false;

/** Delivers every queued ballot once; a call during a flush makes it run once more. */
export function flushOutbox(): Promise<FlushReport> {
  if (running) {
    again = true;
    return running;
  }
  running = (async () => {
    const outcomes: DeliveryOutcome[] = [];
    do {
      again = false;
      outcomes.push(...(await flushOnce()));
    } while (again);
    const waiting = await (await voterDb()).count('outbox');
    return { outcomes, waiting };
  })().finally(() => {
    running = undefined;
  });
  return running;
}

async function flushOnce(): Promise<DeliveryOutcome[]> {
  const db = await voterDb();
  const items = await db.getAll('outbox'); // the transaction is over before any fetch
  const outcomes: DeliveryOutcome[] = [];
  for (const item of items) {
    const answer = await submitBallot(item);
    const tx = db.transaction(['outbox', 'drafts', 'receipts'], 'readwrite', { durability: 'strict' });
    const drafts = tx.objectStore('drafts');
    const draft = await drafts.get([item.sittingId, item.token]);
    if (answer.kind === 'ok') {
      const receipt: Receipt = { receipt: answer.value, sittingId: item.sittingId, sittingTitle: draft?.definition.sitting.title ?? '' };
      if (draft?.definition.rehearsal) receipt.rehearsal = true;
      await tx.objectStore('outbox').delete(item.submissionId);
      if (draft) await drafts.delete([item.sittingId, item.token]);
      if (draft || !(await tx.objectStore('receipts').get(receipt.receipt))) await tx.objectStore('receipts').put(receipt);
      outcomes.push({ submissionId: item.submissionId, kind: 'accepted', receipt });
    } else if (answer.kind === 'refused') {
      await tx.objectStore('outbox').delete(item.submissionId);
      if (draft) await drafts.put({ ...draft, status: 'problem', problem: answer.problem, updatedAt: Date.now() });
      outcomes.push({ submissionId: item.submissionId, kind: 'refused', problem: answer.problem });
    } else {
      if (await tx.objectStore('outbox').get(item.submissionId)) await tx.objectStore('outbox').put({ ...item, attempts: item.attempts + 1 });
      outcomes.push(answer.code ? { submissionId: item.submissionId, kind: 'retry', code: answer.code } : { submissionId: item.submissionId, kind: 'retry' });
    }
    await tx.done;
  }
  return outcomes;
}
