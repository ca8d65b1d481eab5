import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { Db } from '../db/database';
import { LOGIN_LIMITS } from '../limits';
import { sessionUser, type Role, type SessionUser } from '../services/accounts/accounts';
import { ApiError } from './errors';

export const SESSION_COOKIE = 'ceping_session';
export const DEVICE_COOKIE = 'ceping_device';
const DEVICE_COOKIE_PATH = '/api/admin/login';

export type AuthEnv = { Variables: { user: SessionUser } };

export function setSessionCookie(c: Context, value: string): void {
  setCookie(c, SESSION_COOKIE, value, {
    httpOnly: true,
    sameSite: 'Strict',
    secure: c.get('siteOrigin').startsWith('https:'),
    path: '/',
    maxAge: 12 * 60 * 60,
  });
}

/**
 * The device cookie (services/device-cookies.ts): long-lived, sent only to the login, so the
 * throttle knows this browser has logged in as the user before. Kept at logout.
 */
export function setDeviceCookie(c: Context, value: string): void {
  setCookie(c, DEVICE_COOKIE, value, {
    httpOnly: true,
    sameSite: 'Strict',
    secure: c.get('siteOrigin').startsWith('https:'),
    path: DEVICE_COOKIE_PATH,
    maxAge: LOGIN_LIMITS.deviceCookieMaxAgeSeconds,
  });
}

export function deviceCookie(c: Context): string | undefined {
  return getCookie(c, DEVICE_COOKIE);
}

export function clearSessionCookie(c: Context): void {
  deleteCookie(c, SESSION_COOKIE, { path: '/' });
}

export function sessionCookie(c: Context): string | undefined {
  return getCookie(c, SESSION_COOKIE);
}

/** Requires a logged-in user with one of the roles. */
export function requireRole(db: Db, ...roles: Role[]): MiddlewareHandler<AuthEnv> {
  return async (c, next) => {
    const cookie = sessionCookie(c);
    const user = cookie ? await sessionUser(db, cookie) : null;
    if (!user) throw new ApiError(401, 'unauthenticated');
    if (!roles.includes(user.role)) throw new ApiError(403, 'forbidden');
    c.set('user', user);
    await next();
  };
}
