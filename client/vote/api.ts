import type { hc, InferRequestType, InferResponseType } from 'hono/client';
import type { ApiType } from '../shared/api-type';
import type { BallotDefinition } from '../../shared/forms';
import type { ApiErrorBody } from '../../shared/errors';
import type { Problem } from './db';

/**
 * The voter's three calls to the server, typed from the server's own routes (what `hc<ApiType>`
 * sees) but sent with plain `fetch`: hono's client, ~1.7 KB of brotli, was in the page and again
 * in the service worker, both downloaded on every phone's first visit. DOM-free: the service
 * worker delivers the outbox with it too. Every answer is classified once here: done, a final
 * refusal the voter must see, or "try again later".
 */
type Api = ReturnType<typeof hc<ApiType>>;
type BallotCall = Api['voter']['ballot']['$post'];
type SubmitCall = Api['voter']['submit']['$post'];
type BoardCall = Api['public']['sittings'][':id']['receipts']['$get'];

const API = `${self.location.origin}/api`;

function post<Call extends BallotCall | SubmitCall>(path: string, json: InferRequestType<Call>['json']): Promise<Response> {
  return fetch(`${API}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(json) });
}

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
    const res = await post<BallotCall>('/voter/ballot', { token });
    if (res.ok) return { kind: 'ok', value: (await res.json()) as InferResponseType<BallotCall, 200> satisfies BallotDefinition };
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
    const res = await post<SubmitCall>('/voter/submit', { token, submissionId, answers });
    if (res.ok) return { kind: 'ok', value: ((await res.json()) as InferResponseType<SubmitCall, 200 | 201>).receipt };
    return await refusal(res);
  } catch {
    return { kind: 'retry' };
  }
}

/** The receipt board of a closed sitting (409 sitting_not_closed before that). */
export async function fetchReceiptBoard(sittingId: number): Promise<Outcome<string[]>> {
  try {
    const res = await fetch(`${API}/public/sittings/${sittingId}/receipts`);
    if (res.ok) return { kind: 'ok', value: ((await res.json()) as InferResponseType<BoardCall, 200>).receipts };
    return await refusal(res);
  } catch {
    return { kind: 'retry' };
  }
}
