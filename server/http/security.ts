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
 * Headers only a window's document acts on (framing, popups, features, legacy browsers' quirks).
 * A phone's first visit carried them on every response, its scripts, stylesheet and JSON
 * answers included, which ignore them: ~600 bytes each, a tenth of that visit's bytes.
 */
const WINDOW_ONLY_HEADERS = [
  'Cross-Origin-Opener-Policy',
  'Origin-Agent-Cluster',
  'Permissions-Policy',
  'X-DNS-Prefetch-Control',
  'X-Download-Options',
  'X-Frame-Options',
  'X-Permitted-Cross-Domain-Policies',
  'X-XSS-Protection',
];
/** A script or stylesheet runs under its page's CSP and referrer policy, not its own. */
const PAGE_POLICY_HEADERS = ['Content-Security-Policy', 'Referrer-Policy'];
/** What a subresource keeps instead of the page's CSP: nothing may run in it or frame it, should it ever be opened as a page. */
const SUBRESOURCE_CSP = "default-src 'none'; frame-ancestors 'none'";

/**
 * Pages keep every header. The service worker's script runs under its own CSP and referrer
 * policy, so it keeps those. A built script or stylesheet (/assets/) and a JSON answer of the
 * API keep what applies to them (nosniff, CORP, HSTS, caching) and the short CSP above.
 * Registered before securityHeaders(), so it sees what that sets.
 */
export const headersForWhatEachResponseIs = (): MiddlewareHandler => async (c, next) => {
  await next();
  const type = c.res.headers.get('Content-Type') ?? '';
  const worker = c.req.path === '/sw.js';
  const subresource = c.req.path.startsWith('/assets/') ? /^text\/(javascript|css)\b/.test(type) : /^application\/json\b/.test(type);
  if (!worker && !subresource) return;
  for (const name of WINDOW_ONLY_HEADERS) c.res.headers.delete(name);
  if (!subresource) return;
  for (const name of PAGE_POLICY_HEADERS) c.res.headers.delete(name);
  c.res.headers.set('Content-Security-Policy', SUBRESOURCE_CSP);
};

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
