import { Hono } from 'hono';
import { BallotRequest, SubmitRequest } from '../../shared/api';
import { clientAddress } from '../http/client-address';
import { ApiError } from '../http/errors';
import { jsonBody } from '../http/validate';
import type { BallotBox } from '../services/ballot-box';
import type { FailureBudget } from '../services/rate-limit';
import type { TurnoutEvents } from '../services/turnout';

export interface VoterDeps {
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
export function voterRoutes({ ballotBox, guessBudget, turnout }: VoterDeps) {
  function guarded<T>(address: string, act: () => T): T {
    try {
      return act();
    } catch (err) {
      if (err instanceof ApiError && err.code === 'unknown_token') {
        if (guessBudget.exhausted(address)) throw new ApiError(429, 'too_many_attempts');
        guessBudget.fail(address);
      }
      throw err;
    }
  }

  return new Hono()
    .post('/ballot', jsonBody(BallotRequest), (c) => {
      const { token } = c.req.valid('json');
      const definition = guarded(clientAddress(c), () => ballotBox.ballotFor(token));
      c.header('Cache-Control', 'no-store');
      return c.json(definition, 200);
    })
    .post('/submit', jsonBody(SubmitRequest), (c) => {
      const { token, submissionId, answers } = c.req.valid('json');
      const outcome = guarded(clientAddress(c), () => ballotBox.submit(token, submissionId, answers));
      c.header('Cache-Control', 'no-store');
      if (outcome.duplicate) return c.json({ receipt: outcome.receipt, duplicate: true as const }, 200);
      turnout.changed(outcome.sittingId);
      return c.json({ receipt: outcome.receipt }, 201);
    });
}
