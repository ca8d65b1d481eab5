import { sql } from 'drizzle-orm';
import { onSqlite, type TestServer } from './server';

/**
 * Every row of every table of the server's database as one string: what "changes nothing"
 * compares, before and after a request. Every table the database holds, not only those the code
 * knows (a stray write to sqlite_sequence, a partition or the migrations table counts too).
 * On SQLite, from sqlite_master; on PostgreSQL, each table's rows as text in one sorted string,
 * all tables in one statement (a query per table through drizzle made the fuzz twice as slow).
 */
export async function everyRow(server: TestServer): Promise<string> {
  if (onSqlite) {
    const file = server.sqlite;
    const names = (file.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).all() as { name: string }[]).map((t) => t.name);
    return JSON.stringify(names.map((t) => [t, file.prepare(`SELECT * FROM "${t}"`).all()]));
  }
  const rows = async (query: ReturnType<typeof sql>) => ((await server.db.execute(query)) as unknown as { rows: Record<string, unknown>[] }).rows;
  // Ordinary tables (partitions included, partitioned parents not: their rows are the partitions').
  const names = (await rows(sql`SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname) AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%' ORDER BY 1`)).map((r) => String(r.name));
  const columns = names.map((name, i) => `(SELECT coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '') FROM ${name} t) AS t${i}`);
  const [image] = await rows(sql.raw(`SELECT ${columns.join(', ')}`));
  return JSON.stringify(names.map((name, i) => [name, image![`t${i}`]]));
}

/** The SQLite file's bytes as the server sees them (serialize(): the WAL's pages included); undefined on PostgreSQL. */
export function fileBytes(server: TestServer): string | undefined {
  return onSqlite ? server.sqlite.serialize().toString('base64') : undefined;
}
