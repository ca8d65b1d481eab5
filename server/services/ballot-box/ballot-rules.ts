import { checkAnswers } from '../../../shared/answers';
import { allows } from '../../../shared/sitting-life';
import type { Answers, BallotForm, SittingStatus } from '../../../shared/forms';
import { ApiError } from '../../http/errors';

/**
 * What every ballot box checks, on either engine (db/sqlite-ballot-box.ts, db/pg-ballot-box.ts):
 * who may vote when, which answers are a ballot, and how a ballot's answers are stored.
 */

/**
 * Real slips vote while the sitting is open; practice slips (dry run) only during its
 * rehearsal, before it opens: in an open sitting a practice ballot could single a voter out.
 */
export function requireVoting(status: SittingStatus, dryRun: boolean): void {
  if (allows(dryRun ? 'votePractice' : 'vote', status)) return;
  if (status === 'draft' || (!dryRun && status === 'rehearsal')) throw new ApiError(423, 'sitting_not_open');
  throw new ApiError(423, dryRun ? 'rehearsal_over' : 'sitting_closed');
}

/** 422 with the first 50 problems when the answers do not fit the forms. */
export function requireValidAnswers(forms: readonly BallotForm[], answers: Answers): void {
  const problems = checkAnswers(forms, answers);
  if (problems.length > 0) throw new ApiError(422, 'invalid_answers', { problems: problems.slice(0, 50) });
}

/**
 * A sitting's forms are written once, when it is created (sittings.ts createSitting): read and
 * parsed once per sitting, not on each of a plenary's ballots (~10 KB of JSON each time).
 */
export function formsCache<Session>(read: (sittingId: number, session: Session) => string | Promise<string>) {
  const cache = new Map<number, BallotForm[]>();
  return {
    /** Read through `session` on a miss: inside a cast, the cast's own transaction. */
    async of(sittingId: number, session: Session): Promise<BallotForm[]> {
      let forms = cache.get(sittingId);
      if (!forms) cache.set(sittingId, (forms = JSON.parse(await read(sittingId, session)) as BallotForm[]));
      return forms;
    },
  };
}

/**
 * Answers rewritten in the forms' own order, blanks dropped: what is stored says what the voter
 * chose, not the order in which they tapped.
 */
export function canonicalAnswers(forms: readonly BallotForm[], answers: Answers): Answers {
  const out: Answers = {};
  for (const form of forms) {
    const given = answers[form.id];
    if (!given) continue;
    const formOut: Answers[string] = {};
    for (const subject of form.subjects) {
      const subjectAnswers = given[String(subject.id)];
      if (!subjectAnswers) continue;
      const subjectOut: Record<string, string> = {};
      for (const q of form.questions) {
        const value = subjectAnswers[q.id];
        if (value !== undefined) subjectOut[q.id] = value;
      }
      if (Object.keys(subjectOut).length > 0) formOut[String(subject.id)] = subjectOut;
    }
    if (Object.keys(formOut).length > 0) out[form.id] = formOut;
  }
  return out;
}
