import type { PgQuery } from '../../server/db/pg-layout';
import { hashToken, newToken } from '../../server/services/crypto';

/**
 * Sittings and slips made straight in a PostgreSQL database, for the tests of the PostgreSQL
 * pieces that the server does not use yet (issue 14): the rows the console would make.
 */

/** An assessment to hold the sittings; returns its id. */
export async function createPgAssessment(q: PgQuery, name = 'a'): Promise<number> {
  const { rows } = await q.query("INSERT INTO assessments (name, year, created_at) VALUES ($1, 2026, 0) RETURNING id", [name]);
  return (rows[0] as { id: number }).id;
}

/**
 * An open sitting with one voter group, 委员, as a plenary has (each cast counts in its row).
 * The trigger on sittings creates its partitions (migrations-pg/0001_layout.sql).
 */
export async function openPgSitting(q: PgQuery, assessmentId: number, name: string): Promise<number> {
  const { rows } = await q.query("INSERT INTO sittings (assessment_id, name, status, forms, created_at) VALUES ($1, $2, 'open', '[]', 0) RETURNING id", [assessmentId, name]);
  const sittingId = (rows[0] as { id: number }).id;
  await q.query("INSERT INTO sitting_groups (sitting_id, name, weight) VALUES ($1, '委员', 1)", [sittingId]);
  return sittingId;
}

/** Issues `count` slips of the group through the parent table, as the console does; returns their hashes. */
export async function issuePgSlips(q: PgQuery, sittingId: number, count: number): Promise<string[]> {
  const hashes = Array.from({ length: count }, () => hashToken(newToken()));
  await q.query("INSERT INTO tokens (token_hash, sitting_id, voter_group, batch_id) SELECT h, $1, '委员', 1 FROM unnest($2::text[]) AS h", [sittingId, hashes]);
  return hashes;
}
