import type { Answers } from '../../shared/forms';
import type { SubmitOutcome } from './database';

/** A submit waiting for its batch's commit. */
export interface PendingSubmit {
  token: string;
  submissionId: string;
  answers: Answers;
  resolve: (outcome: SubmitOutcome) => void;
  reject: (error: unknown) => void;
}

/**
 * The queue of a group commit, on either engine (sqlite-group-commit.ts, pg-ballot-box.ts): the
 * submits that arrive in one turn of the event loop are handed to `commit` together, which
 * settles each one after the commit that holds it.
 */
export function submitBatches(commit: (batch: PendingSubmit[]) => void): (token: string, submissionId: string, answers: Answers) => Promise<SubmitOutcome> {
  let queue: PendingSubmit[] = [];
  return (token, submissionId, answers) =>
    new Promise((resolve, reject) => {
      queue.push({ token, submissionId, answers, resolve, reject });
      if (queue.length === 1)
        setImmediate(() => {
          const batch = queue;
          queue = [];
          commit(batch);
        });
    });
}
