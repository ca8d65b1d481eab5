import type { BallotDefinition } from '../../shared/forms';
import { voterDb, type Draft, type Receipt } from './db';

/** The draft of a slip, if this phone has one. */
export async function draftForToken(token: string): Promise<Draft | undefined> {
  return (await voterDb()).getFromIndex('drafts', 'by-token', token);
}

/** The most recently touched draft: what `/vote` without a slip resumes. */
export async function latestDraft(): Promise<Draft | undefined> {
  const db = await voterDb();
  const cursor = await db.transaction('drafts').store.index('by-updated').openCursor(null, 'prev');
  return cursor?.value;
}

export function newDraft(token: string, definition: BallotDefinition): Draft {
  return { sittingId: definition.sitting.id, token, definition, answers: {}, submissionId: crypto.randomUUID(), status: 'editing', updatedAt: Date.now() };
}

export async function saveDraft(draft: Draft): Promise<void> {
  await (await voterDb()).put('drafts', { ...draft, updatedAt: Date.now() });
}

export async function receipts(): Promise<Receipt[]> {
  return (await voterDb()).getAll('receipts');
}

/** Asks the browser not to evict this site's storage under pressure (best effort). */
export function askPersistence(): void {
  void navigator.storage?.persist?.().catch(() => false);
}
