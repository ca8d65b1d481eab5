import { hc, type ClientResponse } from 'hono/client';
import type { ApiType } from '../shared/api-type';
import { ApiFailure, unwrap, type Success } from '../shared/unwrap';
import { lang } from './i18n';

export { ApiFailure };

/** The console's language as the server reads it (the error messages come back in it). */
const acceptLanguage = () => ({ 'Accept-Language': lang.value === 'zh' ? 'zh-CN' : 'en' });

/**
 * The console's calls to the server, typed from the server's own routes (`hc<ApiType>`).
 * Absolute, so that a route's `$url()` can build a link's or a form's address.
 */
export const api = hc<ApiType>(`${location.origin}/api`, { headers: acceptLanguage, init: { credentials: 'same-origin' } });

/** Called when the session has ended (401): the app shows the login page. */
let onUnauthenticated: () => void = () => {};
export function whenUnauthenticated(handler: () => void): void {
  onUnauthenticated = handler;
}

const LOGIN = api.admin.login.$url().pathname;

/**
 * Every console call: the success body, typed, or an ApiFailure in the console's language.
 * A 401 means the session has ended and sends the user to the login page (not the login's own
 * refusal, which the login page shows).
 */
export function call<R extends ClientResponse<unknown, number, 'json'>>(res: Promise<R> | R): Promise<Success<R>> {
  const answered = Promise.resolve(res).then((r) => {
    if (r.status === 401 && new URL(r.url, location.origin).pathname !== LOGIN) onUnauthenticated();
    return r;
  });
  return unwrap(answered, lang.value);
}

/** A route that takes a file as its body: `:id` in its path, a JSON answer. */
interface UploadRoute {
  $url(arg: { param: { id: string } }): URL;
  $post: (...args: never[]) => Promise<ClientResponse<unknown, number, 'json'>>;
}

/**
 * A file (CSV or XLSX) as the raw body with its own content type, which hc's typed `json`
 * cannot send: posted to the route's own address, answered with that route's typed body.
 * `search` is the query as it is sent ('preview').
 */
export function upload<R extends UploadRoute>(route: R, id: number, file: File, search?: string): Promise<Success<Awaited<ReturnType<R['$post']>>>> {
  const url = route.$url({ param: { id: String(id) } });
  if (search) url.search = search;
  const type = file.type || (file.name.toLowerCase().endsWith('.csv') ? 'text/csv' : 'application/octet-stream');
  const res = fetch(url, { method: 'POST', body: file, headers: { ...acceptLanguage(), 'Content-Type': type }, credentials: 'same-origin' });
  return call(res as Promise<Awaited<ReturnType<R['$post']>>>);
}

/**
 * A bodyless POST with a query that hc's typed input leaves out (an optional confirmation flag
 * such as ?discardPendingPaper=true): posted to the route's own address, answered with its typed body.
 */
export function postWithQuery<R extends UploadRoute>(route: R, id: number, search: string): Promise<Success<Awaited<ReturnType<R['$post']>>>> {
  const url = route.$url({ param: { id: String(id) } });
  url.search = search;
  const res = fetch(url, { method: 'POST', headers: acceptLanguage(), credentials: 'same-origin' });
  return call(res as Promise<Awaited<ReturnType<R['$post']>>>);
}

/** `:id` as a route's path parameter. */
export const byId = (id: number) => ({ param: { id: String(id) } });

export function errorText(err: unknown): string {
  if (err instanceof ApiFailure) return err.message;
  return err instanceof Error ? err.message : String(err);
}
