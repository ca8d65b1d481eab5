import type { Hono } from 'hono';
import { generateSpecs } from 'hono-openapi';
import { ERROR_MESSAGES } from '../shared/errors';
import { errorSchema, type ErrorStatus } from './http/route';
import { LOGIN_LIMITS } from './limits';

/**
 * The OpenAPI document at /api/openapi.json, generated from the routes' own declarations
 * (http/route.ts): their request schemas, response schemas and error codes. What every route
 * of a kind shares (sign-in, JSON bodies, path ids, storage) is added here once.
 */

const minutes = (ms: number) => `${ms / 60_000} min`;
const L = LOGIN_LIMITS;
const LOGIN_DESCRIPTION =
  'Sets the session cookie and a device cookie (ceping_device: HttpOnly, SameSite=Strict, Secure behind https, ' +
  `Path=/api/admin/login, ${L.deviceCookieMaxAgeSeconds / 86_400} days; username, nonce and HMAC) by which this browser's later logins as that user are throttled apart from strangers (OWASP device cookies): ` +
  `${L.perDevice.failures} failures per device cookie per ${minutes(L.perDevice.windowMs)}; without it, ${L.strangerPerUsername.failures} failures per username per ${minutes(L.strangerPerUsername.windowMs)} ` +
  `and ${L.strangerPerAddress.failures} per address per ${minutes(L.strangerPerAddress.windowMs)}. Each attempt is counted before the password is hashed (a success clears the count): past a budget the answer is 429 too_many_attempts at once, with Retry-After, without hashing. ` +
  `At most ${L.kdfConcurrency} password checks run at once, ${L.kdfQueue} wait; past that 503 busy at once, Retry-After: ${L.busyRetryAfterSeconds}`;

/** Longer texts than a summary holds, by operation. */
export const DESCRIPTIONS: Record<string, string> = { 'post /api/admin/login': LOGIN_DESCRIPTION };

type Operation = {
  requestBody?: { content?: Record<string, unknown> };
  responses?: Record<string, { description?: string; content?: Record<string, { schema?: unknown }> }>;
  parameters?: { name: string; in: string; schema?: unknown }[];
  tags?: string[];
  description?: string;
};

/** The errors a route has by its kind: what it takes, where it lives, what it does. */
function commonErrors(method: string, path: string, op: Operation): Partial<Record<ErrorStatus, string[]>> {
  // A fault of the server's own (never of what a client sent) is a 500 without details.
  const errors: Partial<Record<ErrorStatus, string[]>> = { 500: ['internal_error'], 503: ['storage_full', 'busy'] };
  const add = (status: ErrorStatus, ...codes: string[]) => (errors[status] = [...(errors[status] ?? []), ...codes]);
  if (op.requestBody?.content?.['application/json']) add(400, 'bad_json', 'invalid_request');
  else if (op.parameters?.some((p) => p.in === 'query')) add(400, 'invalid_request');
  if (op.requestBody || method === 'post') add(413, 'body_too_large');
  if (path.includes('{id}')) add(404, 'not_found');
  if (path.startsWith('/api/admin/')) {
    if (method === 'post') add(403, 'bad_origin');
    if (path !== '/api/admin/login' && path !== '/api/admin/logout') add(401, 'unauthenticated'), add(403, 'forbidden');
  }
  return errors;
}

/**
 * Objects in responses say exactly which fields they have: a field the server sends that its
 * schema does not name is drift, and the response check of the test suite fails on it.
 */
function closed(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closed);
  if (!schema || typeof schema !== 'object') return schema;
  const out: Record<string, unknown> = Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, k === 'properties' ? Object.fromEntries(Object.entries(v as object).map(([p, x]) => [p, closed(x)])) : closed(v)]));
  if (out.type === 'object' && out.properties && out.additionalProperties === undefined) out.additionalProperties = false;
  return out;
}

function withCommonErrors(method: string, path: string, op: Operation): Operation {
  const responses = closed({ ...op.responses }) as NonNullable<Operation['responses']>;
  for (const [status, codes] of Object.entries(commonErrors(method, path, op))) {
    const declared = (responses[status]?.content?.['application/json']?.schema as { properties?: { error?: { properties?: { code?: { enum?: string[] } } } } } | undefined)?.properties?.error?.properties?.code?.enum ?? [];
    const all = [...new Set([...declared, ...codes!])];
    responses[status] = { description: all.join(', '), content: { 'application/json': { schema: errorSchema(all) } } };
  }
  const tag = path.split('/')[2]!;
  const parameters = (op.parameters ?? []).map((p) => (p.in === 'path' ? { ...p, required: true, schema: { type: 'string', pattern: '^[1-9][0-9]*$' } } : p));
  const description = DESCRIPTIONS[`${method} ${path}`];
  return { ...op, tags: [tag], ...(parameters.length > 0 ? { parameters } : {}), ...(description ? { description } : {}), responses };
}

/** The document of the /api routes (mounted at /api), computed once per app. */
export async function openApiDocument(api: Hono<any, any, any>) {
  const generated = await generateSpecs(api, {
    documentation: {
      info: { title: 'ceping 民主测评 API', version: '1.0.0', description: 'Errors are { error: { code, message, details? } } with the message in the Accept-Language (Chinese by default).' },
    },
    defaultValidationErrorResponse: false,
    excludeStaticFile: false,
  });
  const paths: Record<string, Record<string, Operation>> = {};
  for (const [path, ops] of Object.entries(generated.paths ?? {})) {
    const full = `/api${path}`;
    for (const [method, op] of Object.entries(ops as Record<string, Operation>)) (paths[full] ??= {})[method] = withCommonErrors(method, full, op);
  }
  paths['/api/openapi.json'] = {
    get: withCommonErrors('get', '/api/openapi.json', { summary: 'This document', responses: { 200: { description: 'OpenAPI 3.1', content: { 'application/json': { schema: { type: 'object' } } } } } } as Operation),
  };
  return {
    ...generated,
    paths,
    components: {
      ...generated.components,
      schemas: {
        ...generated.components?.schemas,
        AuditHead: {
          type: 'string',
          pattern: '^#(0|[1-9][0-9]*):[0-9a-f]{64}$',
          description: 'The audit log head as #<seq>:<sha-256 hex> (genesis #0:000…0). Write it down; `npm run audit:verify -- --head <it>` later fails if the chain no longer contains that entry.',
        },
        Error: errorSchema(Object.keys(ERROR_MESSAGES)),
      },
    },
  };
}
