import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ERROR_MESSAGES, langFromAcceptLanguage, type ApiErrorBody, type ErrorCode } from '../../shared/errors';

/** An expected failure with a status and a stable code; mapped to the contract's JSON error once, in onError. */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: ErrorCode,
    readonly details?: unknown,
  ) {
    super(code);
  }
}

export function errorBody(c: Context, code: ErrorCode, details?: unknown): ApiErrorBody {
  const lang = langFromAcceptLanguage(c.req.header('Accept-Language'));
  const body: ApiErrorBody = { error: { code, message: ERROR_MESSAGES[code][lang] } };
  if (details !== undefined) body.error.details = details;
  return body;
}

export function errorResponse(c: Context, status: ContentfulStatusCode, code: ErrorCode, details?: unknown): Response {
  return c.json(errorBody(c, code, details), status);
}

/**
 * The single error mapper. Nothing a client sends may produce a 5xx or a stack trace; a real
 * server fault is logged (without the request body, which may hold a token) and answered 500.
 */
export function onError(log: (line: string) => void, onStorageFull: () => void = () => {}) {
  return (err: Error, c: Context): Response => {
    if (err instanceof ApiError) return errorResponse(c, err.status, err.code, err.details);
    if (err instanceof HTTPException) {
      if (err.status === 413) return errorResponse(c, 413, 'body_too_large');
      if (err.status === 400) return errorResponse(c, 400, 'bad_json');
      return errorResponse(c, err.status as ContentfulStatusCode, 'invalid_request');
    }
    const storage = storageFailure(err);
    if (storage) {
      if (storage.code === 'storage_full') onStorageFull();
      log(`storage ${c.req.method} ${new URL(c.req.url).pathname}: ${storage.sqliteCode}`);
      return errorResponse(c, storage.status, storage.code);
    }
    log(`error ${c.req.method} ${new URL(c.req.url).pathname}: ${err.name}: ${err.message}`);
    return errorResponse(c, 500, 'internal_error');
  };
}

/**
 * Database failures a client can meet without any fault of the server's code: a full disk (the
 * ballot was not stored: the phone keeps it and retries), a lock held too long or a database
 * that is away (try again), and a unique or state conflict left by two admins acting at once
 * (the other act won: 409, never 500). drizzle wraps a driver's error as the `cause` of its own.
 */
function storageFailure(err: Error): { status: ContentfulStatusCode; code: ErrorCode; sqliteCode: string } | null {
  const driverError = causes(err).find((e) => e.name === 'SqliteError' || isPostgresError(e));
  if (!driverError) return null;
  const code = String((driverError as { code?: unknown }).code ?? '');
  return driverError.name === 'SqliteError' ? sqliteFailure(code) : postgresFailure(code);
}

function sqliteFailure(sqliteCode: string) {
  if (sqliteCode === 'SQLITE_FULL' || sqliteCode === 'SQLITE_IOERR_WRITE' || sqliteCode.startsWith('SQLITE_IOERR')) return { status: 503 as const, code: 'storage_full' as const, sqliteCode };
  if (sqliteCode.startsWith('SQLITE_BUSY') || sqliteCode.startsWith('SQLITE_LOCKED')) return { status: 503 as const, code: 'busy' as const, sqliteCode };
  if (sqliteCode.startsWith('SQLITE_CONSTRAINT')) return { status: 409 as const, code: 'conflict' as const, sqliteCode };
  return null;
}

/** PostgreSQL's SQLSTATE classes (appendix A of its manual), and node-postgres's socket errors. */
function postgresFailure(sqlState: string) {
  const sqliteCode = `postgres ${sqlState}`;
  if (sqlState === '53100') return { status: 503 as const, code: 'storage_full' as const, sqliteCode }; // disk_full
  // Connection lost or refused, insufficient resources, operator intervention (a restart), a
  // deadlock or serialization failure rolled back: nothing was stored, and a retry may pass.
  if (/^(08|53|57|40)/.test(sqlState) || /^E(CONNREFUSED|CONNRESET|PIPE|TIMEDOUT)$/.test(sqlState)) return { status: 503 as const, code: 'busy' as const, sqliteCode };
  if (sqlState.startsWith('23')) return { status: 409 as const, code: 'conflict' as const, sqliteCode };
  return null;
}

function isPostgresError(e: Error): boolean {
  const code = (e as { code?: unknown }).code;
  if (typeof code !== 'string') return false;
  // node-postgres's DatabaseError carries a five-character SQLSTATE; a lost socket a Node errno.
  return (e.name === 'error' || e.constructor.name === 'DatabaseError') ? /^[0-9A-Z]{5}$/.test(code) : /^E[A-Z]+$/.test(code) && 'syscall' in e;
}

/** The error and the errors it was caused by, outermost first. */
function causes(err: Error): Error[] {
  const chain: Error[] = [];
  for (let e: unknown = err; e instanceof Error && chain.length < 5; e = e.cause) chain.push(e);
  return chain;
}
