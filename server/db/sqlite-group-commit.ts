import type { Answers } from '../../shared/forms';
import { submitBatches, type PendingSubmit } from './submit-batches';
import type { SubmitOutcome } from './database';
import type { SqliteFile } from './open';
import type { SqliteBallotBox } from './sqlite-ballot-box';
import type { WriteLock } from './write-lock';

/**
 * Group commit: submissions that arrive together (in one turn of the event loop) are committed
 * in one durable transaction, so a plenary's burst pays one fsync per batch instead of one per
 * ballot. Each ballot is still checked and cast on its own: the ballot box's transaction nests
 * as a savepoint, so a refused ballot is rolled back alone and the others go on. A promise
 * settles only after the commit that holds its ballot: no 201 goes out before its ballot is on
 * disk. If SQLite rolls the whole transaction back (a full disk can), every ballot of the batch
 * is refused with that error and nothing of it is kept; the phones retry. The batch waits for
 * the services' open transaction, if any (write-lock.ts), and then runs in one synchronous go.
 */
export function createGroupCommit(
  file: SqliteFile,
  lock: WriteLock,
  box: SqliteBallotBox,
  changed: (sittingId: number) => void,
): (token: string, submissionId: string, answers: Answers) => Promise<SubmitOutcome> {
  function commitBatch(batch: PendingSubmit[]): void {
    const settled: ({ ok: true; outcome: SubmitOutcome } | { ok: false; error: unknown })[] = [];
    try {
      file.$client
        .transaction(() => {
          for (const pending of batch) {
            try {
              settled.push({ ok: true, outcome: box.submit(pending.token, pending.submissionId, pending.answers) });
            } catch (error) {
              settled.push({ ok: false, error });
              if (!file.$client.inTransaction) throw error; // the whole batch was rolled back
            }
          }
        })
        .immediate();
    } catch (error) {
      for (const pending of batch) pending.reject(error);
      return;
    }
    const sittings = new Set<number>();
    batch.forEach((pending, i) => {
      const result = settled[i]!;
      if (result.ok && !result.outcome.duplicate) sittings.add(result.outcome.sittingId);
      if (result.ok) pending.resolve(result.outcome);
      else pending.reject(result.error);
    });
    for (const sittingId of sittings) changed(sittingId);
  }

  return submitBatches((batch) => {
    lock.whenFree(undefined, () => commitBatch(batch)).catch((error: unknown) => {
      for (const pending of batch) pending.reject(error);
    });
  });
}
