import type { MiddlewareHandler } from 'hono';
import { ApiError } from './errors';

type HeaderList = readonly (readonly [name: string, value: string])[];

const PAGE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "worker-src 'self'",
  "manifest-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** What every response carries: never sniffed as another type, never loaded by another origin, HTTPS only. */
const EVERY_RESPONSE: HeaderList = [
  ['Cross-Origin-Resource-Policy', 'same-origin'],
  ['Strict-Transport-Security', 'max-age=15552000; includeSubDomains'],
  ['X-Content-Type-Options', 'nosniff'],
];

/** A page's and the service worker's own policies: a script or stylesheet runs under its page's instead. */
const OWN_POLICIES: HeaderList = [
  ['Content-Security-Policy', PAGE_CSP],
  ['Referrer-Policy', 'no-referrer'],
];

/** What only a window's document acts on (framing, popups, features, old browsers' quirks). */
const WINDOW_ONLY: HeaderList = [
  ['Cross-Origin-Opener-Policy', 'same-origin'],
  ['Origin-Agent-Cluster', '?1'],
  ['X-DNS-Prefetch-Control', 'off'],
  ['X-Download-Options', 'noopen'],
  ['X-Frame-Options', 'SAMEORIGIN'],
  ['X-Permitted-Cross-Domain-Policies', 'none'],
  ['X-XSS-Protection', '0'],
];

/** A script, stylesheet or JSON answer opened as a page by mistake: nothing runs in it, nothing frames it. */
const SUBRESOURCE_CSP: HeaderList = [['Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'"]];

/**
 * The voter page may use its own origin's camera: a venue tablet (/vote?kiosk) scans slips with
 * it, under every address the service worker serves the page at. No other page may, the console
 * included.
 */
const permissionsOf = (path: string): HeaderList => [['Permissions-Policy', /^\/vote(\/|\.html)?$/.test(path) ? 'camera=(self), microphone=(), geolocation=()' : 'camera=(), microphone=(), geolocation=()']];

/**
 * Security headers for what each response is, each set once. A page (anything a browser may
 * show as a document) gets them all, with a strict CSP. The service worker's script runs under
 * its own CSP and referrer policy, so it keeps those. A built script or stylesheet (/assets/) and
 * a JSON answer get only what applies to them: the window-only headers on every one of them were
 * ~600 bytes, a tenth of a phone's first visit. A header a route set itself (the slips page's
 * stricter CSP) is kept.
 */
export const securityHeaders = (): MiddlewareHandler => async (c, next) => {
  await next();
  const path = c.req.path;
  const type = c.res.headers.get('Content-Type') ?? '';
  const subresource = path.startsWith('/assets/') ? /^text\/(javascript|css)\b/.test(type) : /^application\/json\b/.test(type);
  const lists = subresource ? [EVERY_RESPONSE, SUBRESOURCE_CSP] : path === '/sw.js' ? [EVERY_RESPONSE, OWN_POLICIES] : [EVERY_RESPONSE, OWN_POLICIES, WINDOW_ONLY, permissionsOf(path)];
  const headers = c.res.headers;
  for (const list of lists) for (const [name, value] of list) if (!headers.has(name)) headers.set(name, value);
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
