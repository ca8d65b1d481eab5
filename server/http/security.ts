import type { MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import { ApiError } from './errors';

/**
 * Strict CSP and security headers on every response (Hono's secureHeaders sets no CSP by
 * default). A route that sets a stricter header of its own (the slips page) keeps it.
 */
export const securityHeaders = (): MiddlewareHandler =>
  secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", 'data:', 'blob:'],
      connectSrc: ["'self'"],
      workerSrc: ["'self'"],
      manifestSrc: ["'self'"],
      fontSrc: ["'self'"],
      objectSrc: ["'none'"],
      baseUri: ["'none'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
    },
    referrerPolicy: 'no-referrer',
    crossOriginEmbedderPolicy: false,
    permissionsPolicy: { camera: [], microphone: [], geolocation: [] },
    overwrite: false,
  });

/**
 * The voter page may use its own origin's camera: a venue tablet (/vote?kiosk) scans slips with
 * it. No other page may, the console included. Set before securityHeaders() answers (it keeps a
 * header already set), on the page under every address the service worker serves it at.
 */
export const cameraOnVoterPage = (): MiddlewareHandler => async (c, next) => {
  await next();
  if (/^\/vote(\/|\.html)?$/.test(c.req.path)) c.res.headers.set('Permissions-Policy', 'camera=(self), microphone=(), geolocation=()');
};

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Every state change under the session cookie must come from our own origin, JSON included
 * (Hono's csrf() only covers form content types). A missing Origin is refused too, with one
 * exception: our pages send no referrer, and a browser then sends `Origin: null` on a form POST
 * (the console's recorded downloads); it also says `Sec-Fetch-Site: same-origin`, a header no
 * page can set. A sibling subdomain is `same-site`, never `same-origin`, and is refused.
 */
export const sameOriginOnly = (): MiddlewareHandler => async (c, next) => {
  if (!SAFE_METHODS.has(c.req.method)) {
    const origin = c.req.header('Origin');
    const ours = origin === c.get('siteOrigin') || ((origin === undefined || origin === 'null') && c.req.header('Sec-Fetch-Site') === 'same-origin');
    if (!ours) throw new ApiError(403, 'bad_origin');
  }
  await next();
};
