import type { Context } from 'hono';
import { ApiError } from './errors';

/** Marks the response as a file download, with a UTF-8 file name and no caching. */
export function attachment(c: Context, filename: string, type: string): void {
  c.header('Content-Type', type);
  c.header('Content-Disposition', `attachment; filename="${filename.replace(/[^\w.-]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(filename)}`);
  c.header('Cache-Control', 'no-store');
}

/**
 * For a download that is recorded (audited, or counted as printed): the file comes only from a
 * POST, which the Origin check covers; a GET or HEAD of its URL records nothing and says so.
 */
export function postRequired(): never {
  throw new ApiError(405, 'post_required');
}
