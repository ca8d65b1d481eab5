import type { ClientResponse } from 'hono/client';
import type { SuccessStatusCode } from 'hono/utils/http-status';
import type { ApiErrorBody, ErrorCode } from '../../shared/errors';

/**
 * A failed API call: the contract's `{ error: { code, message, details } }` with its status.
 * `network` when no answer came; `http_<status>` when the answer was not the contract's JSON
 * (a proxy's page).
 */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode | 'network' | `http_${number}`,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

/** The body type of a response's success statuses. */
export type Success<R> = R extends ClientResponse<infer T, infer S, 'json'> ? (S extends SuccessStatusCode ? T : never) : never;

const NETWORK = { zh: '网络连接失败，请检查网络后重试。', en: 'Network error: check the connection and try again.' };

/**
 * Turns a typed response into its success body, or throws an ApiFailure carrying the error
 * body's code, message (already in the user's language) and details. Every console and
 * results call goes through it, so an error reads the same wherever it happens.
 */
export async function unwrap<R extends ClientResponse<unknown, number, 'json'>>(call: Promise<R> | R, lang: 'zh' | 'en' = 'zh'): Promise<Success<R>> {
  let res: R;
  try {
    res = await call;
  } catch {
    throw new ApiFailure(0, 'network', NETWORK[lang]);
  }
  if (res.ok) return (await res.json()) as Success<R>;
  let error: ApiErrorBody['error'] | undefined;
  try {
    error = ((await res.json()) as ApiErrorBody).error;
  } catch {
    error = undefined;
  }
  throw new ApiFailure(res.status, error?.code ?? `http_${res.status}`, error?.message ?? `HTTP ${res.status}`, error?.details);
}
