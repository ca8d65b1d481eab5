/**
 * A slip token as people copy it: any case (RFC 4648 base32 is uppercase), spaces and hyphens
 * ignored. What remains is the canonical form, 26 lowercase base32 characters for our tokens.
 * Its own module, so the voter page's first load can use it without the request schemas.
 */
export function normaliseToken(text: string): string {
  return text.replace(/[\s-]+/g, '').toLowerCase();
}
