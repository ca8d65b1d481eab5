import type { MiddlewareHandler } from 'hono';
import { validator } from 'hono/validator';
import * as z from 'zod/mini';
import { ApiError } from './errors';
import { documented } from './route';

const JSON_TYPE = /^application\/([\w.-]+\+)?json$/i;

function issuesOf(error: z.core.$ZodError): { path: string; message: string }[] {
  return error.issues.slice(0, 20).map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
}

/**
 * Validates a JSON body with a shared schema; any failure is a 400 with a code, never a 5xx.
 * A body sent without a JSON content type (curl, scripts) is parsed as JSON all the same.
 * `precheck` sees the parsed body before the schema copies it (and so before `__proto__` keys vanish).
 */
export function jsonBody<S extends z.core.$ZodType>(schema: S, precheck?: (data: unknown) => void) {
  const middleware = validator('json', async (value, c) => {
    let data: unknown = value;
    const type = (c.req.header('Content-Type') ?? '').split(';')[0]!.trim();
    if (!JSON_TYPE.test(type)) {
      try {
        data = JSON.parse(await c.req.text());
      } catch {
        throw new ApiError(400, 'bad_json');
      }
    }
    precheck?.(data);
    const result = z.safeParse(schema, data);
    if (!result.success) throw new ApiError(400, 'invalid_request', { issues: issuesOf(result.error) });
    return result.data as z.output<S>;
  });
  return documented(middleware, 'json', schema);
}

/** Validates the query string with a shared schema: a 400 invalid_request with the issues, never a 5xx. */
export function queryParams<S extends z.core.$ZodType>(schema: S) {
  const middleware = validator('query', (value) => {
    const result = z.safeParse(schema, value);
    if (!result.success) throw new ApiError(400, 'invalid_request', { issues: issuesOf(result.error) });
    return result.data as z.output<S>;
  });
  return documented(middleware, 'query', schema);
}

/**
 * Validates optional query flags. Documented like `queryParams`, but left out of the route's
 * typed input, so typed callers that never set a flag need not name it; the handler reads it
 * with `c.req.query()` once it is known to be valid.
 */
export function optionalQuery<S extends z.core.$ZodType>(schema: S): MiddlewareHandler {
  const middleware: MiddlewareHandler = async (c, next) => {
    const result = z.safeParse(schema, c.req.query());
    if (!result.success) throw new ApiError(400, 'invalid_request', { issues: issuesOf(result.error) });
    await next();
  };
  return documented(middleware, 'query', schema);
}

/** Validates a numeric `:id` path parameter. */
export function idParam(value: string | undefined): number {
  if (!value || !/^[1-9][0-9]{0,9}$/.test(value)) throw new ApiError(404, 'not_found');
  return Number(value);
}
