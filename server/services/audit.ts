import type { AuditEntry } from '../../shared/audit';
import { desc } from 'drizzle-orm';
import { createHash } from 'node:crypto';
import type { Db } from '../db/open';
import { auditLog } from '../db/schema';

/** Anything that can run a drizzle query: the database or an open transaction. */
export type Tx = Pick<Db, 'select' | 'insert' | 'update' | 'delete'>;

/** An entry before its own hash is computed. */
type UnhashedEntry = Omit<AuditEntry, 'hash'>;

const GENESIS = '0'.repeat(64);

export function entryHash(entry: UnhashedEntry): string {
  return createHash('sha256')
    .update([entry.prevHash, entry.seq, entry.at, entry.actor, entry.action, entry.target, entry.detail].join('\u0000'))
    .digest('hex');
}

/**
 * Appends an administrative act to the hash chain. Call it inside the transaction of the act
 * itself, so an act and its record commit together or not at all.
 */
export function appendAudit(tx: Tx, actor: string, action: string, target: string, detail: unknown = {}): void {
  // Read-then-append: callers hold an immediate transaction (or, for a single append, rely on
  // better-sqlite3 being synchronous: nothing else runs between the read and the insert).
  const last = tx.select({ seq: auditLog.seq, hash: auditLog.hash }).from(auditLog).orderBy(desc(auditLog.seq)).limit(1).get();
  const entry: UnhashedEntry = {
    seq: (last?.seq ?? 0) + 1,
    at: Date.now(),
    actor,
    action,
    target,
    detail: JSON.stringify(detail),
    prevHash: last?.hash ?? GENESIS,
  };
  tx.insert(auditLog).values({ ...entry, hash: entryHash(entry) }).run();
}

/** Walks the chain; returns the first broken entry, or null when every link holds. */
export function verifyAuditChain(db: Db): { seq: number; problem: string } | null {
  let prevHash = GENESIS;
  let expectedSeq = 1;
  for (const row of db.select().from(auditLog).orderBy(auditLog.seq).all()) {
    if (row.seq !== expectedSeq) return { seq: row.seq, problem: `expected entry ${expectedSeq}, found ${row.seq}` };
    if (row.prevHash !== prevHash) return { seq: row.seq, problem: 'previous-hash link broken' };
    if (entryHash(row) !== row.hash) return { seq: row.seq, problem: 'entry content does not match its hash' };
    prevHash = row.hash;
    expectedSeq++;
  }
  return null;
}
