import { eq } from 'drizzle-orm';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Db } from '../../db/database';
import { meta } from '../../db/tables';

/**
 * OWASP "device cookies" (Slow Down Online Guessing Attacks with Device Cookies): a browser
 * that logged in as a user gets `<username>.<nonce>.<HMAC>` (username base64url), and its later
 * logins as that user are throttled on the cookie alone, apart from strangers.
 */

const META_KEY = 'device_cookie_hmac_key';

/**
 * The HMAC key: 32 random bytes made once and kept in the `meta` table (several app servers on
 * the same database would share it). Never logged, never sent.
 */
export async function deviceCookieKey(db: Db): Promise<Buffer> {
  // Insert-or-keep, then read: two servers starting at once end up with the same key.
  await db.insert(meta).values({ key: META_KEY, value: randomBytes(32).toString('base64url') }).onConflictDoNothing();
  const [row] = await db.select({ value: meta.value }).from(meta).where(eq(meta.key, META_KEY)).limit(1);
  const key = Buffer.from(row?.value ?? '', 'base64url');
  if (key.length < 32) throw new Error('device cookie key missing or short in meta');
  return key;
}

function mac(key: Buffer, payload: string): Buffer {
  return createHmac('sha256', key).update(`device-cookie\u0000${payload}`).digest();
}

/** A new device cookie value for a user who has just logged in. */
export function issueDeviceCookie(key: Buffer, username: string): string {
  const payload = `${Buffer.from(username, 'utf8').toString('base64url')}.${randomBytes(16).toString('base64url')}`;
  return `${payload}.${mac(key, payload).toString('base64url')}`;
}

/** The username and nonce of a genuine device cookie; null for anything else. */
export function readDeviceCookie(key: Buffer, value: string | undefined): { username: string; nonce: string } | null {
  if (!value || value.length > 512) return null;
  const parts = value.split('.');
  if (parts.length !== 3) return null;
  const [user, nonce, tag] = parts as [string, string, string];
  const expected = mac(key, `${user}.${nonce}`);
  const given = Buffer.from(tag, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  return { username: Buffer.from(user, 'base64url').toString('utf8'), nonce };
}
