import { Hono } from 'hono';
import { reservedKeyProblems } from '../../shared/answers';
import { BallotRequest, SubmitRequest } from '../../shared/api';
import { clientAddress } from '../http/client-address';
import { ApiError } from '../http/errors';
import { jsonBody } from '../http/validate';
import type { Db } from '../db/open';
import type { BallotBox } from '../services/ballot-box';
import { createGroupCommit } from '../services/group-commit';
import type { FailureBudget } from '../services/rate-limit';
import type { TurnoutEvents } from '../services/turnout';

export interface VoterDeps {
  db: Db;
  ballotBox: BallotBox;
  guessBudget: FailureBudget;
  turnout: TurnoutEvents;
}

/**
 * The voter's endpoints. The token is the credential and travels only in the body; nothing
 * here logs it. Failed lookups (guesses) spend a per-address budget; once it is spent, unknown
 * tokens from that address get 429. A whole hall shares one NAT address, so good slips keep
 * working: one guesser cannot lock the hall out.
 */
/** `__proto__` and its kind in answers are refused as unknown forms, subjects or questions, never dropped. */
function refuseReservedKeys(body: unknown): void {
  const problems = reservedKeyProblems((body as { answers?: unknown } | null)?.answers);
  if (problems.length > 0) throw new ApiError(422, 'invalid_answers', { problems: problems.slice(0, 50) });
}

export function voterRoutes({ db, ballotBox, guessBudget, turnout }: VoterDeps) {
  const submit = createGroupCommit(db, ballotBox);
  async function guarded<T>(address: string, act: () => T | Promise<T>): Promise<T> {
    try {
      return await act();
    } catch (err) {
      if (err instanceof ApiError && err.code === 'unknown_token') {
        if (guessBudget.exhausted(address)) throw new ApiError(429, 'too_many_attempts');
        guessBudget.fail(address);
      }
      throw err;
    }
  }

  return new Hono()
    .post('/ballot', jsonBody(BallotRequest), async (c) => {
      const { token } = c.req.valid('json');
      const definition = await guarded(clientAddress(c), () => ballotBox.ballotFor(token));
      c.header('Cache-Control', 'no-store');
      return c.json(definition, 200);
    })
    .post('/submit', jsonBody(SubmitRequest, refuseReservedKeys), async (c) => {
      const { token, submissionId, answers } = c.req.valid('json');
      const outcome = await guarded(clientAddress(c), () => submit(token, submissionId, answers));
      c.header('Cache-Control', 'no-store');
      if (outcome.duplicate) return c.json({ receipt: outcome.receipt, duplicate: true as const }, 200);
      turnout.changed(outcome.sittingId);
      return c.json({ receipt: outcome.receipt }, 201);
    });
}
