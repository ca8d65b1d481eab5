/** One entry of the hash-chained audit log: each hash covers the entry and the previous hash. */
export interface AuditEntry {
  seq: number;
  at: number;
  actor: string;
  action: string;
  target: string;
  /** JSON of the act's details. */
  detail: string;
  prevHash: string;
  hash: string;
}

/** The newest entry of the chain; before any entry, the genesis (seq 0, 64 zeros). */
export interface AuditHead {
  seq: number;
  hash: string;
}

/** A head as published: either the full `#<seq>:<hash>`, or just a hash (then any entry with it). */
export interface PublishedHead {
  seq?: number;
  hash: string;
}

export const GENESIS_HASH = '0'.repeat(64);

/**
 * The printed form of a head, `#<seq>:<hash>`, e.g. `#12:3f…a0` (64 hex digits). Kept in one
 * place so the console, the public pages, the exports and `audit:verify --head` agree on it.
 */
export function formatAuditHead(head: AuditHead): string {
  return `#${head.seq}:${head.hash}`;
}

/** Reads `#<seq>:<hash>` or a bare 64-hex-digit hash; null when it is neither. Case of the hex is ignored. */
export function parseAuditHead(text: string): PublishedHead | null {
  const match = /^(?:#?(0|[1-9][0-9]{0,14}):)?([0-9a-f]{64})$/i.exec(text.trim());
  if (!match) return null;
  const hash = match[2]!.toLowerCase();
  return match[1] === undefined ? { hash } : { seq: Number(match[1]), hash };
}
