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
