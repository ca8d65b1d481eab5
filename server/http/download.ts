import type { Context } from 'hono';

/** Marks the response as a file download, with a UTF-8 file name and no caching. */
export function attachment(c: Context, filename: string, type: string): void {
  c.header('Content-Type', type);
  c.header('Content-Disposition', `attachment; filename="${filename.replace(/[^\w.-]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(filename)}`);
  c.header('Cache-Control', 'no-store');
}
