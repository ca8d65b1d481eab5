import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { Answers, BallotDefinition } from '../../shared/forms';

/**
 * The phone's own storage (IndexedDB): the voter's draft, the outbox of ballots waiting to be
 * delivered, and the receipts of delivered ballots. DOM-free: the service worker shares it.
 */

/** What went wrong with a delivered ballot that the voter must see (a final 4xx). */
export interface Problem {
  code: string;
  details?: unknown;
}

/** A ballot being filled in, keyed by sitting and slip. Erased once the server accepts it. */
export interface Draft {
  sittingId: number;
  token: string;
  definition: BallotDefinition;
  answers: Answers;
  /** Made once per ballot (crypto.randomUUID) and kept with it, so every retry is the same submission. */
  submissionId: string;
  /** editing: the voter is rating; queued: in the outbox; problem: the server refused it (kept for the voter). */
  status: 'editing' | 'queued' | 'problem';
  problem?: Problem;
  updatedAt: number;
}

/** A ballot the voter submitted, waiting to be delivered (modelled on workbox's QueueDb). */
export interface OutboxItem {
  submissionId: string;
  sittingId: number;
  token: string;
  answers: Answers;
  attempts: number;
}

/** All the phone keeps after delivery: which sitting, and the receipt to look for on the board. */
export interface Receipt {
  receipt: string;
  sittingId: number;
  sittingTitle: string;
  /** A practice ballot of the sitting's rehearsal (演练票): never counted. */
  rehearsal?: boolean;
}

interface VoterDb extends DBSchema {
  drafts: { key: [number, string]; value: Draft; indexes: { 'by-token': string; 'by-updated': number } };
  outbox: { key: string; value: OutboxItem };
  receipts: { key: string; value: Receipt };
}

export type VoterDatabase = IDBPDatabase<VoterDb>;

let opening: Promise<VoterDatabase> | undefined;

export function voterDb(): Promise<VoterDatabase> {
  opening ??= openDB<VoterDb>('ceping-voter', 1, {
    upgrade(db, oldVersion) {
      if (oldVersion < 1) {
        const drafts = db.createObjectStore('drafts', { keyPath: ['sittingId', 'token'] });
        drafts.createIndex('by-token', 'token');
        drafts.createIndex('by-updated', 'updatedAt');
        db.createObjectStore('outbox', { keyPath: 'submissionId' });
        db.createObjectStore('receipts', { keyPath: 'receipt' });
      }
    },
    // Another tab holding an older version must not block an upgrade forever.
    blocking() {
      void opening?.then((db) => db.close());
      opening = undefined;
    },
  });
  return opening;
}
