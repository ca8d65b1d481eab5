import type { MiddlewareHandler } from 'hono';

declare module 'hono' {
  interface ContextVariableMap {
    /** The origin people reach the app at: QR slips point there, and admin requests must come from it. */
    siteOrigin: string;
  }
}

/**
 * Behind a TLS-terminating proxy the request URL says http://internal-host; PUBLIC_ORIGIN
 * names the real one. Without it, the request's own origin is taken.
 */
export const siteOrigin =
  (publicOrigin: string | undefined): MiddlewareHandler =>
  async (c, next) => {
    c.set('siteOrigin', publicOrigin ?? new URL(c.req.url).origin);
    await next();
  };
