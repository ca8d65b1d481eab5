import { hc } from 'hono/client';
import type { ApiType } from '../shared/api-type';
import type { BallotDefinition } from '../../shared/forms';
import type { ApiErrorBody } from '../../shared/errors';
import type { Problem } from './db';

/**
 * The voter's calls to the server, typed from the server's own routes (`hc<ApiType>`).
 * DOM-free: the service worker delivers the outbox with it too. Every answer is classified
 * once here: done, a final refusal the voter must see, or "try again later".
 */
export const api = hc<ApiType>(`${self.location.origin}/api`);

/** `code` on a retry: the server's reason, when it said one (e.g. storage_full), so the phone can tell the voter. */
export type Outcome<T> = { kind: 'ok'; value: T } | { kind: 'refused'; problem: Problem } | { kind: 'retry'; code?: string };

/** Network errors, 5xx, 408 and 429 are worth retrying; any other 4xx is final. */
function retryable(status: number): boolean {
  return status >= 500 || status === 408 || status === 429;
}

async function refusal(res: Response): Promise<Outcome<never>> {
  let body: ApiErrorBody | undefined;
  try {
    body = (await res.json()) as ApiErrorBody;
  } catch {
    // not our JSON error (a proxy page): keep the status
  }
  if (retryable(res.status)) return body?.error?.code ? { kind: 'retry', code: body.error.code } : { kind: 'retry' };
  const problem: Problem = { code: body?.error?.code ?? `http_${res.status}` };
  if (body?.error?.details !== undefined) problem.details = body.error.details;
  return { kind: 'refused', problem };
}

export async function fetchBallot(token: string): Promise<Outcome<BallotDefinition>> {
  try {
    const res = await api.voter.ballot.$post({ json: { token } });
    if (res.ok) return { kind: 'ok', value: (await res.json()) satisfies BallotDefinition };
    return await refusal(res);
  } catch {
    return { kind: 'retry' };
  }
}

export interface Submission {
  token: string;
  submissionId: string;
  answers: Record<string, Record<string, Record<string, string>>>;
}

/** 201 (new) and 200 (the same submission again) both mean: counted, here is the receipt. */
export async function submitBallot({ token, submissionId, answers }: Submission): Promise<Outcome<string>> {
  try {
    const res = await api.voter.submit.$post({ json: { token, submissionId, answers } });
    if (res.ok) return { kind: 'ok', value: (await res.json()).receipt };
    return await refusal(res);
  } catch {
    return { kind: 'retry' };
  }
}

/** The receipt board of a closed sitting (409 sitting_not_closed before that). */
export async function fetchReceiptBoard(sittingId: number): Promise<Outcome<string[]>> {
  try {
    const res = await api.public.sittings[':id'].receipts.$get({ param: { id: String(sittingId) } });
    if (res.ok) return { kind: 'ok', value: (await res.json()).receipts };
    return await refusal(res);
  } catch {
    return { kind: 'retry' };
  }
}
