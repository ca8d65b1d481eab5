import type { HttpBindings } from '@hono/node-server';
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';

/** Collects a request's bytes, stopping at the first byte over `maxBytes` (then null). */
function collect(incoming: HttpBindings['incoming'], maxBytes: number): Promise<Buffer | null> {
  return new Promise((done, fail) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        incoming.off('data', onData);
        incoming.pause();
        done(null);
      } else chunks.push(chunk);
    };
    incoming.on('data', onData);
    incoming.once('end', () => done(Buffer.concat(chunks, size)));
    incoming.once('error', fail);
  });
}

/**
 * A request body of at most `maxBytes`, read straight from Node's request stream and handed to
 * Hono as text (its `c.req.json()` then parses that). Hono reads a body through a web `Request`
 * built for it (an AbortController, the stream converted to a web stream), and bodyLimit()
 * wraps that stream once more: for a plenary's ~1,000 ballots a second that was the largest
 * single cost of the server's CPU outside SQL (the ingest bench's profile). Decoded as
 * `Request.text()` does: UTF-8, a leading byte-order mark dropped, bad bytes replaced. Larger
 * bodies get `tooLarge`, declared (Content-Length) or not (chunked). Outside a Node server
 * (`app.request()`), bodyLimit() does the same job.
 */
export function readBody({ maxBytes, tooLarge }: { maxBytes: number; tooLarge: (c: Context) => Response | Promise<Response> }): MiddlewareHandler {
  const fallback = bodyLimit({ maxSize: maxBytes, onError: tooLarge });
  return async (c, next) => {
    const incoming = (c.env as Partial<HttpBindings> | undefined)?.incoming;
    if (!incoming || c.req.method === 'GET' || c.req.method === 'HEAD') return fallback(c, next);
    if (Number(incoming.headers['content-length'] ?? 0) > maxBytes) return tooLarge(c);
    const bytes = await collect(incoming, maxBytes);
    if (!bytes) return tooLarge(c);
    const text = bytes.toString('utf8');
    // HonoRequest keeps each body it has read as a promise in bodyCache (typed as the value): json() and text() take it from there.
    (c.req.bodyCache as Record<string, Promise<unknown>>).text = Promise.resolve(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
    await next();
  };
}
