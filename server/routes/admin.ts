import { Hono } from 'hono';
import { LoginRequest } from '../../shared/api';
import { HealthResponse, UserResponse } from '../../shared/contract/admin';
import { DemoProvinceResponse } from '../../shared/contract/grading';
import { Ok } from '../../shared/contract/common';
import type { Db } from '../db/database';
import { clearSessionCookie, deviceCookie, requireRole, sessionCookie, setDeviceCookie, setSessionCookie, type AuthEnv } from '../http/auth';
import { clientAddress } from '../http/client-address';
import { ApiError } from '../http/errors';
import { endpoint } from '../http/route';
import { jsonBody } from '../http/validate';
import { LOGIN_LIMITS } from '../limits';
import { checkCredentials, endSession, startSession } from '../services/accounts/accounts';
import { deviceCookieKey, issueDeviceCookie, readDeviceCookie } from '../services/accounts/device-cookies';
import { KdfBusy } from '../services/accounts/passwords';
import type { LoginThrottle } from '../services/accounts/rate-limit';
import { loadDemoProvince } from '../services/grading/demo-province';
import { SLIPS_CSS } from '../services/slips/page';
import type { StorageHealth } from '../services/storage-health';

const login = endpoint({
  summary: 'Log in; sets an HttpOnly SameSite=Strict session cookie and a device cookie',
  errors: { 401: ['bad_credentials'], 429: ['too_many_attempts'], 503: ['busy'] },
  responses: { 200: UserResponse },
});
const logout = endpoint({ summary: 'Log out', responses: { 200: Ok } });
const me = endpoint({ summary: 'The logged-in user', responses: { 200: UserResponse } });
const health = endpoint({
  summary: 'Whether the server can store: { storageFull, since } (the console shows a red banner while storage is full)',
  responses: { 200: HealthResponse },
});
const demoProvince = endpoint({ summary: 'Load the demo province (220 teams, 1,847 cadres, two years) in one step', responses: { 201: DemoProvinceResponse } });
const slipsCss = endpoint({ summary: 'Stylesheet of the printable slips page', files: { 200: 'text/css' } });

/** /api/admin itself: the session (login, logout, me), the server's health, the demo province, the slips stylesheet. */
export function adminRoutes(db: Db, throttle: LoginThrottle, storage: StorageHealth) {
  // Read (or made) at the first login, then kept: it never changes. Concurrent first logins share one read.
  let key: Promise<Buffer> | undefined;
  const deviceKey = () =>
    (key ??= deviceCookieKey(db).catch((err: unknown) => {
      key = undefined;
      throw err;
    }));
  const staff = requireRole(db, 'admin', 'organiser');
  return new Hono<AuthEnv>()
    .post('/login', login.doc, jsonBody(LoginRequest), async (c) => {
      const { username, password } = c.req.valid('json');
      const device = readDeviceCookie(await deviceKey(), deviceCookie(c));
      const known = device !== null && device.username === username;
      // Reserved in one atomic step before any hash runs: concurrent requests cannot all pass.
      const attempt = await throttle.reserve({ username, address: clientAddress(c), device: known ? device.nonce : undefined });
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
          await attempt.release();
          c.header('Retry-After', String(LOGIN_LIMITS.busyRetryAfterSeconds));
        }
        throw err;
      }
      // A wrong password keeps its reservation: it was counted as a failure up front.
      if (!user) throw new ApiError(401, 'bad_credentials');
      await attempt.succeed();
      // The session cookie first: scripted clients that keep one cookie keep the session.
      setSessionCookie(c, await startSession(db, user));
      setDeviceCookie(c, issueDeviceCookie(await deviceKey(), user.username));
      return login.json(c, { user }, 200);
    })
    .post('/logout', logout.doc, async (c) => {
      const cookie = sessionCookie(c);
      if (cookie) await endSession(db, cookie);
      clearSessionCookie(c);
      return logout.json(c, { ok: true }, 200);
    })
    .get('/me', staff, me.doc, (c) => me.json(c, { user: c.var.user }, 200))
    .get('/health', staff, health.doc, (c) => health.json(c, storage.status(), 200))
    // The demo province (GRADING.md): two graded years at the seed's scale, for trying the console.
    .post('/demo-province', requireRole(db, 'admin'), demoProvince.doc, async (c) => demoProvince.json(c, await loadDemoProvince(db, c.var.user.username), 201))
    // Static text; a file, so the slips page needs no inline style.
    .get('/slips.css', slipsCss.doc, (c) => {
      c.header('Content-Type', 'text/css; charset=utf-8');
      c.header('Cache-Control', 'no-cache');
      return c.body(SLIPS_CSS, 200);
    });
}
