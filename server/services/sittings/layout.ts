import { randomInt } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/open';
import { ballots, receipts, tokens } from '../../db/schema';
import type { Tx } from '../audit/audit';
import { randomId } from '../crypto';

/**
 * Where a closed sitting's ballots lie in the database file must not follow their arrival
 * (SECURITY.md, storage layout). Random keys order the b-tree's cells, but SQLite hands out
 * the pages of a growing table, and the overflow pages of every row over ~1 KB, in commit
 * order: while a sitting is open, its ballots lie in the file in arrival order.
 *
 * Small rows leak too: within a page, SQLite places each new cell below the last one, so the
 * byte offset of a receipt follows arrival, and so does a token's, whose cell is rewritten when
 * it is spent (measured: ρ = -1.000 for receipts without this step).
 *
 * So closing rewrites the sitting: its ballots, receipts and tokens are read, deleted
 * (secure_delete zeroes the freed space) and written again in a fresh random order, ballots
 * under fresh random ids. The freed pages are handed out again in the new order. Only this sitting's rows
 * move, so the cost follows the sitting, not the province-sized file around it (a VACUUM would
 * rewrite everything). Call it inside the closing transaction, then `checkpointTruncate`, so
 * the WAL's copy of the arrival order is gone from disk too.
 */
export function shuffleSittingLayout(tx: Tx, sittingId: number): void {
  // Prepared once per close: a plenary rewrites some 600 rows here.
  const stored = tx.select({ voterGroup: ballots.voterGroup, dryRun: ballots.dryRun, answers: ballots.answers }).from(ballots).where(eq(ballots.sittingId, sittingId)).all();
  tx.delete(ballots).where(eq(ballots.sittingId, sittingId)).run();
  const insertBallot = tx
    .insert(ballots)
    .values({ sittingId, id: sql.placeholder('id'), voterGroup: sql.placeholder('voterGroup'), dryRun: sql.placeholder('dryRun'), answers: sql.placeholder('answers') })
    .prepare();
  for (const b of shuffled(stored)) insertBallot.run({ id: randomId(), voterGroup: b.voterGroup, dryRun: b.dryRun ? 1 : 0, answers: b.answers });

  const board = tx.select({ receipt: receipts.receipt, dryRun: receipts.dryRun }).from(receipts).where(eq(receipts.sittingId, sittingId)).all();
  tx.delete(receipts).where(eq(receipts.sittingId, sittingId)).run();
  const insertReceipt = tx.insert(receipts).values({ sittingId, receipt: sql.placeholder('receipt'), dryRun: sql.placeholder('dryRun') }).prepare();
  for (const r of shuffled(board)) insertReceipt.run({ receipt: r.receipt, dryRun: r.dryRun ? 1 : 0 });

  const slips = tx.select().from(tokens).where(eq(tokens.sittingId, sittingId)).all();
  tx.delete(tokens).where(eq(tokens.sittingId, sittingId)).run();
  const insertToken = tx
    .insert(tokens)
    .values({ tokenHash: sql.placeholder('tokenHash'), sittingId, voterGroup: sql.placeholder('voterGroup'), batchId: sql.placeholder('batchId'), dryRun: sql.placeholder('dryRun'), spent: sql.placeholder('spent'), dedupeHash: sql.placeholder('dedupeHash') })
    .prepare();
  for (const t of shuffled(slips)) insertToken.run({ tokenHash: t.tokenHash, voterGroup: t.voterGroup, batchId: t.batchId, dryRun: t.dryRun ? 1 : 0, spent: t.spent ? 1 : 0, dedupeHash: t.dedupeHash });
}

/** Removes a rehearsal's ballots and receipts (dry run) of a sitting; returns how many ballots. */
export function purgeRehearsal(tx: Tx, sittingId: number): number {
  tx.delete(receipts).where(and(eq(receipts.sittingId, sittingId), eq(receipts.dryRun, true))).run();
  return tx.delete(ballots).where(and(eq(ballots.sittingId, sittingId), eq(ballots.dryRun, true))).run().changes;
}

/** Fisher-Yates with the CSPRNG: the new order must not be predictable from the old. */
function shuffled<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

/**
 * Moves every committed page into the main file and truncates the WAL to zero bytes. A reader
 * elsewhere (a backup in progress) can hold the checkpoint back: then it is tried again until
 * it completes, since until then the WAL still holds pages in the order they were written.
 */
export function checkpointTruncate(db: Db, retryMs = 1000, attempts = 120): void {
  const [result] = db.$client.pragma('wal_checkpoint(TRUNCATE)') as { busy: number; log: number; checkpointed: number }[];
  if (result && result.busy !== 0 && attempts > 1) {
    setTimeout(() => {
      if (db.$client.open) checkpointTruncate(db, retryMs, attempts - 1);
    }, retryMs).unref();
  }
}
