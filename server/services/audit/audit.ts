import type * as z from 'zod/mini';
import type { ChainProblemSchema } from '../../../shared/contract/audit';
import { formatAuditHead, GENESIS_HASH, type AuditEntry, type AuditHead, type PublishedHead } from '../../../shared/audit';
import { count, desc, lt } from 'drizzle-orm';
import { createHash } from 'node:crypto';
import type { Db, Queryable, Tx } from '../../db/database';
import { auditLog } from '../../db/tables';

/** An entry before its own hash is computed. */
type UnhashedEntry = Omit<AuditEntry, 'hash'>;

const GENESIS = GENESIS_HASH;

export function entryHash(entry: UnhashedEntry): string {
  return createHash('sha256')
    .update([entry.prevHash, entry.seq, entry.at, entry.actor, entry.action, entry.target, entry.detail].join('\u0000'))
    .digest('hex');
}

/**
 * Appends an administrative act to the hash chain. Call it inside the transaction of the act
 * itself, so an act and its record commit together or not at all.
 */
export async function appendAudit(tx: Tx, actor: string, action: string, target: string, detail: unknown = {}): Promise<void> {
  // Read-then-append: callers hold a transaction, and the data-access layer runs one
  // transaction at a time, so no other append runs between the read and the insert.
  const [last] = await tx.select({ seq: auditLog.seq, hash: auditLog.hash }).from(auditLog).orderBy(desc(auditLog.seq)).limit(1);
  const entry: UnhashedEntry = {
    seq: (last?.seq ?? 0) + 1,
    at: Date.now(),
    actor,
    action,
    target,
    detail: JSON.stringify(detail),
    prevHash: last?.hash ?? GENESIS,
  };
  await tx.insert(auditLog).values({ ...entry, hash: entryHash(entry) });
}

/** The newest entry's seq and hash: what a published head witnesses. */
export async function auditHead(db: Queryable): Promise<AuditHead> {
  const [last] = await db.select({ seq: auditLog.seq, hash: auditLog.hash }).from(auditLog).orderBy(desc(auditLog.seq)).limit(1);
  return last ?? { seq: 0, hash: GENESIS };
}

/**
 * The head in its printed form, for responses and files. Read it right after the act it must
 * cover; to be sure no other act's entry comes in between, read it inside the act's own
 * transaction (the data-access layer runs one transaction at a time).
 */
export async function publishedAuditHead(db: Queryable): Promise<string> {
  return formatAuditHead(await auditHead(db));
}

/** The first thing wrong with the chain; `missingHead` (printed form) when only the published head is gone. */
/** Where the chain breaks, as /api/admin/audit reports it (shared/contract/audit.ts). */
export type ChainProblem = z.output<typeof ChainProblemSchema>;

/**
 * Walks the chain; returns the first broken entry, or null when every link holds. With a head
 * published earlier, the chain must also still contain that exact entry: the links alone cannot
 * catch someone who deletes or edits a row and recomputes every later hash.
 */
export async function verifyAuditChain(db: Queryable, options: { head?: PublishedHead } = {}): Promise<ChainProblem | null> {
  const { head } = options;
  // The genesis is the start of every chain, so a head taken before the first entry always holds.
  let headFound = head === undefined || (head.hash === GENESIS && (head.seq ?? 0) === 0);
  let prevHash = GENESIS;
  let expectedSeq = 1;
  for (const row of await db.select().from(auditLog).orderBy(auditLog.seq)) {
    if (row.seq !== expectedSeq) return { seq: row.seq, problem: `expected entry ${expectedSeq}, found ${row.seq}` };
    if (row.prevHash !== prevHash) return { seq: row.seq, problem: 'previous-hash link broken' };
    if (entryHash(row) !== row.hash) return { seq: row.seq, problem: 'entry content does not match its hash' };
    if (head && row.hash === head.hash && (head.seq === undefined || head.seq === row.seq)) headFound = true;
    prevHash = row.hash;
    expectedSeq++;
  }
  if (!headFound && head) {
    const printed = head.seq === undefined ? head.hash : formatAuditHead({ seq: head.seq, hash: head.hash });
    return { seq: head.seq ?? 0, problem: `published head ${printed} is not in the chain`, missingHead: printed };
  }
  return null;
}

/** A page of the audit log, newest first, with the result of verifying the whole chain. */
export async function auditPage(db: Db, options: { before?: number; limit: number }) {
  const where = options.before !== undefined ? lt(auditLog.seq, options.before) : undefined;
  const entries = await db.select().from(auditLog).where(where).orderBy(desc(auditLog.seq)).limit(options.limit);
  const [counted] = await db.select({ n: count() }).from(auditLog);
  return { entries, total: counted!.n, broken: await verifyAuditChain(db) };
}
