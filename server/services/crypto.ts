import { createHash, randomBytes } from 'node:crypto';

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** RFC 4648 base32, lowercase, unpadded: easy to read aloud, safe in a URL fragment. */
export function base32(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
    buffer &= (1 << bits) - 1;
  }
  if (bits > 0) out += BASE32[(buffer << (5 - bits)) & 31];
  return out;
}

export function sha256Hex(...parts: string[]): string {
  const h = createHash('sha256');
  for (const part of parts) h.update(part).update('\u0000');
  return h.digest('hex');
}

/** A slip token: 128 bits from the CSPRNG, 26 base32 characters. */
export function newToken(): string {
  return base32(randomBytes(16));
}

export function hashToken(token: string): string {
  return sha256Hex('token', token);
}

/** What a spent token keeps of the submission: enough to recognise a retry, nothing to link. */
export function dedupeHash(submissionId: string): string {
  return sha256Hex('dedupe', submissionId.toLowerCase());
}

/**
 * The receipt shown to the voter and published on the board: derived from the submission id
 * (which only the phone keeps), so it cannot be computed from the token or the token row.
 */
export function receiptFor(sittingId: number, submissionId: string): string {
  const digest = createHash('sha256').update(`receipt\u0000${sittingId}\u0000${submissionId.toLowerCase()}`).digest();
  return base32(digest.subarray(0, 7)).slice(0, 10).toUpperCase();
}

export function randomId(): string {
  return randomBytes(16).toString('hex');
}
