import type { StandardSchemaV1 } from '@standard-schema/spec';
import type { Context, MiddlewareHandler } from 'hono';
import type { TypedResponse } from 'hono';
import type { JSONParsed } from 'hono/utils/types';
import { describeRoute, resolver, uniqueSymbol } from 'hono-openapi';
import type { ContentfulStatusCode, SuccessStatusCode } from 'hono/utils/http-status';
import type { ErrorCode } from '../../shared/errors';

/**
 * One declaration per route. A route states what it is and which errors it answers with
 * and what each success status carries (`endpoint`), and which body it takes (`jsonBody`,
 * validate.ts). From these come the validator, the handler's types (a handler whose
 * `c.json` does not match its response schema does not compile, and `hc` sees the same type)
 * and /api/openapi.json (openapi.ts). Errors common to a whole kind of route (sign-in, bodies,
 * storage) are added by openapi.ts, so a declaration lists only its own.
 */

export type ErrorStatus = 400 | 401 | 403 | 404 | 405 | 409 | 413 | 415 | 422 | 423 | 429 | 500 | 503;

export interface RouteDoc {
  summary: string;
  description?: string;
  /** This route's own error codes by status, beyond the common ones. */
  errors?: Partial<Record<ErrorStatus, readonly ErrorCode[]>>;
  /** Success answers that are not JSON: status → media type (CSV, XLSX, PDF, HTML, SSE). */
  files?: Partial<Record<SuccessStatusCode, string>>;
  /** The request body is a file (raw or multipart) rather than JSON: its media types. */
  uploads?: readonly string[];
}

/** The error body of the contract, narrowed to the codes a route declares for a status. */
export function errorSchema(codes: readonly string[]) {
  return {
    type: 'object',
    required: ['error'],
    additionalProperties: false,
    properties: {
      error: {
        type: 'object',
        required: ['code', 'message'],
        additionalProperties: false,
        properties: { code: { type: 'string', enum: [...codes] }, message: { type: 'string' }, details: {} },
      },
    },
  } as const;
}

type ResponseSchemas = Partial<Record<SuccessStatusCode, StandardSchemaV1>>;
type Out<S> = S extends StandardSchemaV1 ? StandardSchemaV1.InferOutput<S> : never;

/**
 * Declares an endpoint: `doc` is its entry in the OpenAPI document (summary, own errors, files,
 * success schemas) and `json` is the only way its handler answers with JSON: the body must be
 * the output of the schema declared for that status, so a handler that drifts from its schema
 * does not compile, and `hc` sees the declared type.
 */
export interface Endpoint<T extends ResponseSchemas> {
  doc: MiddlewareHandler;
  json<S extends keyof T & ContentfulStatusCode>(c: Context, body: Out<T[S]>, status: S): Response & TypedResponse<JSONParsed<Out<T[S]>>, S, 'json'>;
}

export function endpoint<T extends ResponseSchemas = {}>(doc: RouteDoc & { responses?: T }): Endpoint<T> {
  const responses: Record<string, { description: string; content?: Record<string, { schema: unknown }> }> = {};
  for (const [status, schema] of Object.entries(doc.responses ?? {})) {
    responses[status] = { description: doc.summary, content: { 'application/json': { schema: resolver(schema as StandardSchemaV1) } } };
  }
  for (const [status, media] of Object.entries(doc.files ?? {})) responses[status] = { description: media!, content: { [media!]: { schema: { type: 'string' } } } };
  for (const [status, codes] of Object.entries(doc.errors ?? {})) {
    responses[status] = { description: codes!.join(', '), content: { 'application/json': { schema: errorSchema(codes!) } } };
  }
  const described: MiddlewareHandler = describeRoute({
    summary: doc.summary,
    ...(doc.description ? { description: doc.description } : {}),
    ...(doc.uploads ? { requestBody: { required: true, content: Object.fromEntries(doc.uploads.map((m) => [m, { schema: { type: 'string', format: 'binary' } }])) } } : {}),
    responses: responses as never,
  });
  return {
    doc: described,
    json: (c, body, status) => c.json(body, status),
  };
}

/** Marks a validating middleware so the document shows what it validates. */
export function documented<M extends (...args: never[]) => unknown>(middleware: M, target: 'json' | 'query' | 'param', schema: StandardSchemaV1): M {
  return Object.assign(middleware, { [uniqueSymbol]: { target, ...resolver(schema) } });
}
