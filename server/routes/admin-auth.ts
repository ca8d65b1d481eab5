import { Hono } from 'hono';
import { LoginRequest } from '../../shared/api';
import type { Db } from '../db/open';
import { clearSessionCookie, deviceCookie, requireRole, sessionCookie, setDeviceCookie, setSessionCookie, type AuthEnv } from '../http/auth';
import { clientAddress } from '../http/client-address';
import { ApiError } from '../http/errors';
import { jsonBody } from '../http/validate';
import { LOGIN_LIMITS } from '../limits';
import { checkCredentials, endSession, startSession } from '../services/accounts';
import { deviceCookieKey, issueDeviceCookie, readDeviceCookie } from '../services/device-cookies';
import { KdfBusy } from '../services/passwords';
import type { LoginThrottle } from '../services/rate-limit';

export function adminAuthRoutes(db: Db, throttle: LoginThrottle) {
  // Read (or made) at the first login, then kept: it never changes.
  let key: Buffer | undefined;
  const deviceKey = () => (key ??= deviceCookieKey(db));
  return new Hono<AuthEnv>()
    .post('/login', jsonBody(LoginRequest), async (c) => {
      const { username, password } = c.req.valid('json');
      const device = readDeviceCookie(deviceKey(), deviceCookie(c));
      const known = device !== null && device.username === username;
      // Reserved synchronously, before the first await: concurrent requests cannot all pass.
      const attempt = throttle.reserve({ username, address: clientAddress(c), device: known ? device.nonce : undefined });
      if (!attempt.ok) {
        c.header('Retry-After', String(Math.max(1, Math.ceil(attempt.retryAfterMs / 1000))));
        throw new ApiError(429, 'too_many_attempts');
      }
      let user;
      try {
        user = await checkCredentials(db, username, password, known ? 'trusted' : 'stranger');
      } catch (err) {
        // The hash queue was full: nothing was tried, so the attempt is given back.
        if (err instanceof KdfBusy) {
          attempt.release();
          c.header('Retry-After', String(LOGIN_LIMITS.busyRetryAfterSeconds));
        }
        throw err;
      }
      // A wrong password keeps its reservation: it was counted as a failure up front.
      if (!user) throw new ApiError(401, 'bad_credentials');
      attempt.succeed();
      // The session cookie first: scripted clients that keep one cookie keep the session.
      setSessionCookie(c, startSession(db, user));
      setDeviceCookie(c, issueDeviceCookie(deviceKey(), user.username));
      return c.json({ user }, 200);
    })
    .post('/logout', (c) => {
      const cookie = sessionCookie(c);
      if (cookie) endSession(db, cookie);
      clearSessionCookie(c);
      return c.json({ ok: true }, 200);
    })
    .get('/me', requireRole(db, 'admin', 'organiser'), (c) => c.json({ user: c.var.user }, 200));
}
