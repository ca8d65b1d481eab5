import { voterDb, type Draft } from '../db';

/**
 * What the shared tablet erases of the voters before: every receipt, and every draft `keep`
 * does not name (the ballot of the voter now at the tablet). The outbox is left alone: a
 * queued ballot stays until the server has it, and the flush deletes it then. The voter page
 * stores nothing else per ballot (no localStorage, sessionStorage or Cache API entry; the
 * token never enters the URL), which tests/voter/kiosk.test.ts checks.
 */
export async function eraseBallots(keep: (draft: Draft) => boolean): Promise<void> {
  const db = await voterDb();
  const tx = db.transaction(['drafts', 'receipts'], 'readwrite', { durability: 'strict' });
  const done = tx.done;
  await tx.objectStore('receipts').clear();
  for (let cursor = await tx.objectStore('drafts').openCursor(); cursor; cursor = await cursor.continue()) {
    if (!keep(cursor.value)) await cursor.delete();
  }
  await done;
}
