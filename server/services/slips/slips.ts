import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/database';
import { sittingGroups, tokenBatches, tokens } from '../../db/tables';
import { ApiError } from '../../http/errors';
import { appendAudit } from '../audit/audit';
import { hashToken, newToken } from '../crypto';
import { allows } from '../../../shared/sitting-life';
import { getSitting, requireAct } from '../sittings/sittings';
import { turnoutEvents } from '../sittings/turnout';

/** How long a batch's clear tokens stay printable after issue. They are never written to disk. */
const PRINT_WINDOW_MS = 30 * 60 * 1000;

/** Tokens per insert statement: 5 parameters each, well under SQLite's and PostgreSQL's limits. */
const TOKEN_INSERT_CHUNK = 1000;

export interface IssuedBatch {
  batchId: number;
  sittingId: number;
  voterGroup: string;
  dryRun: boolean;
  tokens: string[];
  warnings: string[];
}

/**
 * Holds the clear tokens of freshly issued batches in memory, for printing only, and forgets
 * them when the print window closes. A server restart forgets them too: slips are printed
 * right after issue, and a lost batch is re-issued, never recovered.
 */
export class PrintQueue {
  #batches = new Map<number, { batch: IssuedBatch; expiresAt: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  hold(batch: IssuedBatch): void {
    this.#prune();
    this.#batches.set(batch.batchId, { batch, expiresAt: this.now() + PRINT_WINDOW_MS });
  }

  get(batchId: number): IssuedBatch | undefined {
    this.#prune();
    return this.#batches.get(batchId)?.batch;
  }

  #prune(): void {
    const now = this.now();
    for (const [id, held] of this.#batches) if (held.expiresAt <= now) this.#batches.delete(id);
  }
}

/** Issues a batch of one-time tokens for a voter group; only their hashes are stored. */
export async function issueBatch(db: Db, actor: string, sittingId: number, voterGroup: string, count: number, dryRun: boolean): Promise<IssuedBatch> {
  const clear = Array.from({ length: count }, newToken);
  // Hashed before the transaction, which then holds the one writer's turn for the writes alone.
  const hashes = clear.map(hashToken);
  const batch = await db.transaction(async (tx) => {
    const sitting = await getSitting(tx, sittingId);
    if (dryRun && allows('issueSlips', sitting.status) && !allows('issuePracticeSlips', sitting.status)) throw new ApiError(409, 'rehearsal_only', { status: sitting.status });
    requireAct(sitting, dryRun ? 'issuePracticeSlips' : 'issueSlips');
    const [group] = await tx
      .select()
      .from(sittingGroups)
      .where(and(eq(sittingGroups.sittingId, sittingId), eq(sittingGroups.name, voterGroup)))
      .limit(1);
    if (!group) throw new ApiError(400, 'unknown_voter_group', { voterGroup });
    const [created] = await tx
      .insert(tokenBatches)
      .values({ sittingId, voterGroup, count, dryRun, createdAt: Date.now() })
      .returning({ id: tokenBatches.id });
    const batchId = created!.id;
    // In chunks: one statement per token would be slow, one for a whole large batch too many parameters.
    for (let i = 0; i < hashes.length; i += TOKEN_INSERT_CHUNK) {
      await tx.insert(tokens).values(hashes.slice(i, i + TOKEN_INSERT_CHUNK).map((tokenHash) => ({ tokenHash, sittingId, voterGroup, batchId, dryRun })));
    }
    await tx
      .update(sittingGroups)
      .set(dryRun ? { dryRunIssued: sql`${sittingGroups.dryRunIssued} + ${count}` } : { issued: sql`${sittingGroups.issued} + ${count}` })
      .where(and(eq(sittingGroups.sittingId, sittingId), eq(sittingGroups.name, voterGroup)));
    await appendAudit(tx, actor, dryRun ? 'tokens.issue_dry_run' : 'tokens.issue', `sitting:${sittingId}`, { batchId, voterGroup, count });
    // A group below k is hidden from the results; a practice group below k could single people out in the rehearsal.
    const warnings = (dryRun ? group.dryRunIssued : group.issued) + count < sitting.k ? ['batch_below_k'] : [];
    return { batchId, sittingId, voterGroup, dryRun, tokens: clear, warnings };
  });
  turnoutEvents(db).changed(sittingId);
  return batch;
}

/** Records that a batch's slips were rendered for printing (reconciliation: printed vs issued). */
export async function markPrinted(db: Db, actor: string, batch: IssuedBatch): Promise<void> {
  await db.transaction(async (tx) => {
    const [row] = await tx.select({ printed: tokenBatches.printed }).from(tokenBatches).where(eq(tokenBatches.id, batch.batchId)).limit(1);
    if (!row) throw new ApiError(404, 'unknown_batch');
    if (row.printed >= batch.tokens.length) return;
    await tx.update(tokenBatches).set({ printed: batch.tokens.length }).where(eq(tokenBatches.id, batch.batchId));
    await appendAudit(tx, actor, 'tokens.print', `sitting:${batch.sittingId}`, { batchId: batch.batchId, slips: batch.tokens.length });
  });
}
