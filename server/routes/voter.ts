import { Hono } from 'hono';
import { reservedKeyProblems } from '../../shared/answers';
import { BallotRequest, SubmitRequest } from '../../shared/api';
import { BallotDefinitionSchema, ReceiptResponse } from '../../shared/contract/voter';
import { clientAddress } from '../http/client-address';
import { ApiError } from '../http/errors';
import { endpoint } from '../http/route';
import { jsonBody } from '../http/validate';
import type { BallotBox } from '../db/database';
import type { FailureBudget } from '../services/accounts/rate-limit';

export interface VoterDeps {
  ballotBox: BallotBox;
  guessBudget: FailureBudget;
}

/** `__proto__` and its kind in answers are refused as unknown forms, subjects or questions, never dropped. */
export function refuseReservedKeys(body: unknown): void {
  const problems = reservedKeyProblems((body as { answers?: unknown } | null)?.answers);
  if (problems.length > 0) throw new ApiError(422, 'invalid_answers', { problems: problems.slice(0, 50) });
}

/**
 * /api/voter: the voter's endpoints. The token is the credential and travels only in the body;
 * nothing here logs it. Failed lookups (guesses) spend a per-address budget; once it is spent,
 * unknown tokens from that address get 429. A whole hall shares one NAT address, so good slips
 * keep working: one guesser cannot lock the hall out.
 */
export function voterRoutes({ ballotBox, guessBudget }: VoterDeps) {
  async function guarded<T>(address: string, act: () => T | Promise<T>): Promise<T> {
    try {
      return await act();
    } catch (err) {
      if (err instanceof ApiError && err.code === 'unknown_token') {
        if (await guessBudget.exhausted(address)) throw new ApiError(429, 'too_many_attempts');
        await guessBudget.fail(address);
      }
      throw err;
    }
  }

  const ballot = endpoint({
    summary: 'The ballot definition a slip opens; rehearsal is true for a practice slip (演练票). The token is case-insensitive, spaces and hyphens ignored',
    errors: { 404: ['unknown_token'], 409: ['token_used'], 423: ['sitting_not_open', 'sitting_closed', 'rehearsal_over'], 429: ['too_many_attempts'] },
    responses: { 200: BallotDefinitionSchema },
  });
  const cast = endpoint({
    summary:
      'Cast a ballot (idempotent by submissionId: a retry gets the same receipt, 200 duplicate); __proto__/constructor/prototype keys in answers are refused as unknown forms, subjects or questions; a ballot the server cannot store gets 503 storage_full and the phone retries',
    errors: { 404: ['unknown_token'], 409: ['token_used'], 422: ['invalid_answers'], 423: ['sitting_not_open', 'sitting_closed', 'rehearsal_over'], 429: ['too_many_attempts'] },
    responses: { 200: ReceiptResponse, 201: ReceiptResponse },
  });

  return new Hono()
    .post('/ballot', ballot.doc, jsonBody(BallotRequest), async (c) => {
      const { token } = c.req.valid('json');
      const definition = await guarded(clientAddress(c), () => ballotBox.ballotFor(token));
      c.header('Cache-Control', 'no-store');
      return ballot.json(c, definition, 200);
    })
    .post('/submit', cast.doc, jsonBody(SubmitRequest, refuseReservedKeys), async (c) => {
      const { token, submissionId, answers } = c.req.valid('json');
      const outcome = await guarded(clientAddress(c), () => ballotBox.submit(token, submissionId, answers));
      c.header('Cache-Control', 'no-store');
      if (outcome.duplicate) return cast.json(c, { receipt: outcome.receipt, duplicate: true }, 200);
      return cast.json(c, { receipt: outcome.receipt }, 201);
    });
}
