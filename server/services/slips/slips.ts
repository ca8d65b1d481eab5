import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/open';
import { sittingGroups, tokenBatches, tokens } from '../../db/schema';
import { ApiError } from '../../http/errors';
import { appendAudit } from '../audit/audit';
import { hashToken, newToken } from '../crypto';
import { allows } from '../../../shared/sitting-life';
import { getSitting, requireAct } from '../sittings/sittings';
import { turnoutEvents } from '../sittings/turnout';

/** How long a batch's clear tokens stay printable after issue. They are never written to disk. */
const PRINT_WINDOW_MS = 30 * 60 * 1000;

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
export function issueBatch(db: Db, actor: string, sittingId: number, voterGroup: string, count: number, dryRun: boolean): IssuedBatch {
  const clear = Array.from({ length: count }, newToken);
  const batch = db.transaction(
    (tx) => {
      const sitting = getSitting(db, sittingId);
      if (dryRun && allows('issueSlips', sitting.status) && !allows('issuePracticeSlips', sitting.status)) throw new ApiError(409, 'rehearsal_only', { status: sitting.status });
      requireAct(sitting, dryRun ? 'issuePracticeSlips' : 'issueSlips');
      const group = tx
        .select()
        .from(sittingGroups)
        .where(and(eq(sittingGroups.sittingId, sittingId), eq(sittingGroups.name, voterGroup)))
        .get();
      if (!group) throw new ApiError(400, 'unknown_voter_group', { voterGroup });
      const { id: batchId } = tx
        .insert(tokenBatches)
        .values({ sittingId, voterGroup, count, dryRun, createdAt: Date.now() })
        .returning({ id: tokenBatches.id })
        .get();
      const insert = tx.insert(tokens).values({ tokenHash: sql.placeholder('hash'), sittingId, voterGroup, batchId, dryRun }).prepare();
      for (const token of clear) insert.run({ hash: hashToken(token) });
      tx.update(sittingGroups)
        .set(dryRun ? { dryRunIssued: sql`${sittingGroups.dryRunIssued} + ${count}` } : { issued: sql`${sittingGroups.issued} + ${count}` })
        .where(and(eq(sittingGroups.sittingId, sittingId), eq(sittingGroups.name, voterGroup)))
        .run();
      appendAudit(tx, actor, dryRun ? 'tokens.issue_dry_run' : 'tokens.issue', `sitting:${sittingId}`, { batchId, voterGroup, count });
      // A group below k is hidden from the results; a practice group below k could single people out in the rehearsal.
      const warnings = (dryRun ? group.dryRunIssued : group.issued) + count < sitting.k ? ['batch_below_k'] : [];
      return { batchId, sittingId, voterGroup, dryRun, tokens: clear, warnings };
    },
    { behavior: 'immediate' },
  );
  turnoutEvents(db).changed(sittingId);
  return batch;
}

/** Records that a batch's slips were rendered for printing (reconciliation: printed vs issued). */
export function markPrinted(db: Db, actor: string, batch: IssuedBatch): void {
  db.transaction(
    (tx) => {
      const row = tx.select({ printed: tokenBatches.printed }).from(tokenBatches).where(eq(tokenBatches.id, batch.batchId)).get();
      if (!row) throw new ApiError(404, 'unknown_batch');
      if (row.printed >= batch.tokens.length) return;
      tx.update(tokenBatches).set({ printed: batch.tokens.length }).where(eq(tokenBatches.id, batch.batchId)).run();
      appendAudit(tx, actor, 'tokens.print', `sitting:${batch.sittingId}`, { batchId: batch.batchId, slips: batch.tokens.length });
    },
    { behavior: 'immediate' },
  );
}
