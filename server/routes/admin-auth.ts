import { Hono } from 'hono';
import { LoginRequest } from '../../shared/api';
import type { Db } from '../db/open';
import { clearSessionCookie, requireRole, sessionCookie, setSessionCookie, type AuthEnv } from '../http/auth';
import { clientAddress } from '../http/client-address';
import { ApiError } from '../http/errors';
import { jsonBody } from '../http/validate';
import { checkCredentials, endSession, startSession } from '../services/accounts';
import type { LoginThrottle } from '../services/rate-limit';

export function adminAuthRoutes(db: Db, throttle: LoginThrottle) {
  return new Hono<AuthEnv>()
    .post('/login', jsonBody(LoginRequest), async (c) => {
      const { username, password } = c.req.valid('json');
      const keys = [`user:${username.toLowerCase()}`, `ip:${clientAddress(c)}`];
      const wait = throttle.waitMs(keys);
      if (wait > 0) {
        c.header('Retry-After', String(Math.ceil(wait / 1000)));
        throw new ApiError(429, 'too_many_attempts');
      }
      const user = await checkCredentials(db, username, password);
      if (!user) {
        throttle.fail(keys);
        throw new ApiError(401, 'bad_credentials');
      }
      throttle.succeed(keys);
      setSessionCookie(c, startSession(db, user));
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
