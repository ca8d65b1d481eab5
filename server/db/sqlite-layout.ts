import type Database from 'better-sqlite3';
import type { Statement } from 'better-sqlite3';
import { randomInt } from 'node:crypto';
import type { StoredBallot } from './database';
import type { SqliteFile } from './open';
import { randomId } from '../services/crypto';

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
 * the WAL's copy of the arrival order is gone from disk too. Returns the ballots it rewrote,
 * for the close to tally without reading them again.
 */
export function shuffleSittingLayout(db: SqliteFile, sittingId: number): StoredBallot[] {
  // One transaction with the close, and freed space zeroed: neither may be lost to a refactor.
  if (!db.$client.inTransaction) throw new Error('the layout rewrite runs inside the closing transaction');
  if (db.$client.pragma('secure_delete', { simple: true }) !== 1) throw new Error('the layout rewrite needs secure_delete');
  const q = statements(db);
  const rewritten = rewriteBallots(q, sittingId);

  const board = q.receipts.all(sittingId) as [receipt: string, dryRun: number][];
  q.deleteReceipts.run(sittingId);
  for (const [receipt, dryRun] of shuffled(board)) q.insertReceipt.run(sittingId, receipt, dryRun);

  const slips = q.tokens.all(sittingId) as [tokenHash: string, voterGroup: string, batchId: number, dryRun: number, spent: number, dedupeHash: string | null][];
  q.deleteTokens.run(sittingId);
  for (const [tokenHash, ...rest] of shuffled(slips)) q.insertToken.run(tokenHash, sittingId, ...rest);

  return rewritten;
}

/** The ballots, read once, deleted and written again in a random order under fresh ids. */
function rewriteBallots(q: LayoutStatements, sittingId: number): StoredBallot[] {
  const stored = q.ballots.all(sittingId) as [voterGroup: string, dryRun: number, answers: string][];
  q.deleteBallots.run(sittingId);
  for (const [voterGroup, dryRun, answers] of shuffled(stored)) q.insertBallot.run(sittingId, randomId(), voterGroup, dryRun, answers);
  return stored.map(([voterGroup, dryRun, answers]) => ({ voterGroup, dryRun: dryRun !== 0, answers }));
}

/**
 * The rewrite's statements, prepared once per connection. Inserts are one row each, on purpose:
 * a multi-row INSERT ... VALUES (...), (...) may fail halfway, so SQLite keeps a statement
 * journal for it, which spills to a temporary file (measured: ~1,800 extra writes per close of a
 * 200 x 100 plenary, and no faster).
 */
interface LayoutStatements {
  ballots: Statement;
  deleteBallots: Statement;
  insertBallot: Statement;
  receipts: Statement;
  deleteReceipts: Statement;
  insertReceipt: Statement;
  tokens: Statement;
  deleteTokens: Statement;
  insertToken: Statement;
}

const prepared = new WeakMap<Database.Database, LayoutStatements>();

function statements(db: SqliteFile): LayoutStatements {
  const raw = db.$client;
  let q = prepared.get(raw);
  if (!q) {
    q = {
      ballots: raw.prepare('SELECT voter_group, dry_run, answers FROM ballots WHERE sitting_id = ?').raw(true),
      deleteBallots: raw.prepare('DELETE FROM ballots WHERE sitting_id = ?'),
      insertBallot: raw.prepare('INSERT INTO ballots (sitting_id, id, voter_group, dry_run, answers) VALUES (?, ?, ?, ?, ?)'),
      receipts: raw.prepare('SELECT receipt, dry_run FROM receipts WHERE sitting_id = ?').raw(true),
      deleteReceipts: raw.prepare('DELETE FROM receipts WHERE sitting_id = ?'),
      insertReceipt: raw.prepare('INSERT INTO receipts (sitting_id, receipt, dry_run) VALUES (?, ?, ?)'),
      tokens: raw.prepare('SELECT token_hash, voter_group, batch_id, dry_run, spent, dedupe_hash FROM tokens WHERE sitting_id = ?').raw(true),
      deleteTokens: raw.prepare('DELETE FROM tokens WHERE sitting_id = ?'),
      insertToken: raw.prepare('INSERT INTO tokens (token_hash, sitting_id, voter_group, batch_id, dry_run, spent, dedupe_hash) VALUES (?, ?, ?, ?, ?, ?, ?)'),
    };
    prepared.set(raw, q);
  }
  return q;
}

/**
 * Removes a rehearsal's ballots and receipts (dry run) of a sitting, inside the opening
 * transaction; returns how many ballots. secure_delete zeroes the space they took.
 */
export function purgeRehearsal(db: SqliteFile, sittingId: number): number {
  if (!db.$client.inTransaction) throw new Error('the rehearsal purge runs inside the opening transaction');
  db.$client.prepare('DELETE FROM receipts WHERE sitting_id = ? AND dry_run = 1').run(sittingId);
  return db.$client.prepare('DELETE FROM ballots WHERE sitting_id = ? AND dry_run = 1').run(sittingId).changes;
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
export function checkpointTruncate(db: SqliteFile, retryMs = 1000, attempts = 120): void {
  const [result] = db.$client.pragma('wal_checkpoint(TRUNCATE)') as { busy: number; log: number; checkpointed: number }[];
  if (result && result.busy !== 0 && attempts > 1) {
    setTimeout(() => {
      if (db.$client.open) checkpointTruncate(db, retryMs, attempts - 1);
    }, retryMs).unref();
  }
}
