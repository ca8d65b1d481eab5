import { PGlite } from '@electric-sql/pglite';
import { getTableName, is, Table } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { generateDrizzleJson, generateMigration, type DrizzleSnapshotJSON } from 'drizzle-kit/api';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteFile, type SqliteFile } from '../../server/db/open';
import * as sqliteSchema from '../../server/db/schema';
import * as pgSchema from '../../server/db/schema-pg';

/**
 * The SQLite and PostgreSQL schemas (issue 14) are kept in step from outside: each engine's
 * migrations are applied to a fresh database and the catalogue is read back (SQLite's PRAGMAs,
 * PostgreSQL's pg_catalog), so a column or index that reaches one engine only fails here,
 * whichever schema file or migration it came from.
 */

/** What a column's type can hold: PostgreSQL's booleans and bigints hold what SQLite's integers hold here. */
type Family = 'integer' | 'real' | 'text';

interface ColumnShape {
  notNull: boolean;
  family: Family;
  /** The default as written, without PostgreSQL's casts ('draft'::text is 'draft'). */
  default: string | null;
  /** Numbered by the database (AUTOINCREMENT on SQLite, an identity column on PostgreSQL). */
  generated: boolean;
}

interface IndexShape {
  name: string;
  columns: string[];
  unique: boolean;
  partial: boolean;
}

interface ForeignKeyShape {
  columns: string[];
  references: string;
  referencedColumns: string[];
}

interface TableShape {
  columns: Record<string, ColumnShape>;
  primaryKey: string[];
  /** Every index but the primary key's, by name. */
  indexes: IndexShape[];
  foreignKeys: ForeignKeyShape[];
}

type SchemaShape = Record<string, TableShape>;

/**
 * The differences kept on purpose, both for the storage layout on PostgreSQL (SECURITY.md, On
 * PostgreSQL). These tables are partitioned by sitting there, and a partitioned table's primary
 * key must hold the partition key: theirs is SQLite's with sitting_id added where it is missing.
 */
const PARTITIONED_BY_SITTING = ['ballots', 'receipts', 'tokens'];
/** token_sittings finds a token's sitting by hash alone, which the partitioned tokens cannot do fast. */
const PG_ONLY_TABLES = ['token_sittings'];

function expectedPgPrimaryKey(table: string, sqliteKey: string[]): string[] {
  return PARTITIONED_BY_SITTING.includes(table) && !sqliteKey.includes('sitting_id') ? [...sqliteKey, 'sitting_id'] : sqliteKey;
}

const MIGRATIONS_PG = join(dirname(fileURLToPath(import.meta.url)), '../../server/db/migrations-pg');

let dir: string;
let sqlite: SqliteFile;
let pglite: PGlite;
let sqliteShape: SchemaShape;
let pgShape: SchemaShape;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ceping-parity-'));
  sqlite = openSqliteFile(join(dir, 'parity.db'));
  sqliteShape = readSqliteShape(sqlite);
  pglite = new PGlite();
  await migrate(drizzle({ client: pglite }), { migrationsFolder: MIGRATIONS_PG });
  // A sitting, so that its partitions exist: the shape is read from the tables, not their partitions.
  await pglite.exec("INSERT INTO assessments (name, year, created_at) VALUES ('a', 2025, 0); INSERT INTO sittings (assessment_id, name, forms, created_at) VALUES (1, 's', '[]', 0)");
  pgShape = await readPgShape(pglite);
});

afterAll(async () => {
  sqlite?.$client.close();
  await pglite?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the PostgreSQL schema mirrors the SQLite one', () => {
  it('has every table that schema.ts declares, on both engines', () => {
    const declared = tableNames(sqliteSchema);
    expect(Object.keys(sqliteShape).sort()).toEqual(declared);
    expect(Object.keys(pgShape).sort()).toEqual([...declared, ...PG_ONLY_TABLES].sort());
    expect(tableNames(pgSchema)).toEqual([...declared, ...PG_ONLY_TABLES].sort());
  });

  it('has the same columns, nullability, type families, defaults and numbering', () => {
    for (const table of Object.keys(sqliteShape)) expect(pgShape[table]?.columns, table).toEqual(sqliteShape[table]?.columns);
  });

  it('has the same primary keys', () => {
    for (const [table, shape] of Object.entries(sqliteShape)) expect(pgShape[table]?.primaryKey, table).toEqual(expectedPgPrimaryKey(table, shape.primaryKey));
  });

  it('has the same indexes: names, column lists, uniqueness', () => {
    for (const table of Object.keys(sqliteShape)) expect(pgShape[table]?.indexes, table).toEqual(sqliteShape[table]?.indexes);
  });

  it('has the same foreign keys', () => {
    for (const table of Object.keys(sqliteShape)) expect(pgShape[table]?.foreignKeys, table).toEqual(sqliteShape[table]?.foreignKeys);
  });
});

describe('the PostgreSQL migrations', () => {
  it('are up to date with schema-pg.ts (npm run db:generate:pg would write nothing)', async () => {
    const journal = JSON.parse(readFileSync(join(MIGRATIONS_PG, 'meta/_journal.json'), 'utf8')) as { entries: { idx: number }[] };
    const last = journal.entries.at(-1);
    if (!last) throw new Error('no PostgreSQL migration in the journal');
    const snapshotFile = join(MIGRATIONS_PG, `meta/${String(last.idx).padStart(4, '0')}_snapshot.json`);
    const snapshot = JSON.parse(readFileSync(snapshotFile, 'utf8')) as DrizzleSnapshotJSON;
    expect(await generateMigration(snapshot, generateDrizzleJson(pgSchema))).toEqual([]);
  });
});

describe('the storage layout', () => {
  // SQLite clusters these by their random keys (WITHOUT ROWID); a PostgreSQL heap has no such
  // order, so there each of them is partitioned by sitting and its partition rewritten at close
  // (db/pg-layout.ts). A new table made WITHOUT ROWID for the same reason fails here, so it is
  // not forgotten on PostgreSQL.
  it('clusters exactly ballots, receipts and tokens by key on SQLite', () => {
    const clustered = sqlite.$client
      .prepare("SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table' AND wr = 1 ORDER BY name")
      .pluck()
      .all();
    expect(clustered).toEqual(PARTITIONED_BY_SITTING);
  });

  it('partitions exactly those tables by LIST (sitting_id) on PostgreSQL, with no default partition', async () => {
    const partitioned = await pglite.query<{ table_name: string; strategy: string; columns: string[]; default_partition: number }>(`
      SELECT c.relname AS table_name, p.partstrat AS strategy, p.partdefid::int AS default_partition,
             array(SELECT a.attname::text FROM unnest(p.partattrs::int2[]) AS k(attnum)
                     JOIN pg_attribute a ON a.attrelid = p.partrelid AND a.attnum = k.attnum) AS columns
        FROM pg_partitioned_table p JOIN pg_class c ON c.oid = p.partrelid
       ORDER BY c.relname`);
    expect(partitioned.rows).toEqual(PARTITIONED_BY_SITTING.map((table_name) => ({ table_name, strategy: 'l', columns: ['sitting_id'], default_partition: 0 })));
  });
});

function tableNames(schema: Record<string, unknown>): string[] {
  return Object.values(schema)
    .filter((value): value is Table => is(value, Table))
    .map((table) => getTableName(table))
    .sort();
}

/** SQLite's catalogue through its PRAGMA table-valued functions. */
function readSqliteShape(db: SqliteFile): SchemaShape {
  const client = db.$client;
  const tables = client
    .prepare("SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '__drizzle_migrations'")
    .pluck()
    .all() as string[];
  const shape: SchemaShape = {};
  for (const table of tables) {
    const columns = client.prepare('SELECT name, type, "notnull", dflt_value, pk FROM pragma_table_xinfo(?) WHERE hidden = 0').all(table) as {
      name: string;
      type: string;
      notnull: number;
      dflt_value: string | null;
      pk: number;
    }[];
    // AUTOINCREMENT is only allowed on an INTEGER PRIMARY KEY, so the table's SQL names its one column.
    const autoincrement = /\bAUTOINCREMENT\b/i.test(client.prepare('SELECT sql FROM sqlite_schema WHERE name = ?').pluck().get(table) as string);
    const primaryKey = columns.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.name);

    const indexes = (client.prepare("SELECT name, \"unique\", partial FROM pragma_index_list(?) WHERE origin <> 'pk'").all(table) as {
      name: string;
      unique: number;
      partial: number;
    }[]).map((index) => ({
      name: index.name,
      columns: client.prepare('SELECT coalesce(name, \'<expression>\') FROM pragma_index_xinfo(?) WHERE key = 1 ORDER BY seqno').pluck().all(index.name) as string[],
      unique: index.unique === 1,
      partial: index.partial === 1,
    }));

    const references = client.prepare('SELECT id, "table", "from", "to" FROM pragma_foreign_key_list(?) ORDER BY id, seq').all(table) as {
      id: number;
      table: string;
      from: string;
      to: string;
    }[];
    const foreignKeys = new Map<number, ForeignKeyShape>();
    for (const ref of references) {
      const fk = foreignKeys.get(ref.id) ?? { columns: [], references: ref.table, referencedColumns: [] };
      fk.columns.push(ref.from);
      fk.referencedColumns.push(ref.to);
      foreignKeys.set(ref.id, fk);
    }

    shape[table] = {
      columns: Object.fromEntries(
        columns.map((c) => [
          c.name,
          {
            notNull: c.notnull === 1,
            family: sqliteFamily(c.type),
            default: c.dflt_value,
            generated: autoincrement && primaryKey.length === 1 && primaryKey[0] === c.name,
          },
        ]),
      ),
      primaryKey,
      indexes: byName(indexes),
      foreignKeys: sortForeignKeys([...foreignKeys.values()]),
    };
  }
  return shape;
}

function sqliteFamily(declared: string): Family {
  switch (declared.toLowerCase()) {
    case 'integer':
      return 'integer';
    case 'real':
      return 'real';
    case 'text':
      return 'text';
    default:
      throw new Error(`SQLite column type ${declared} has no family here yet`);
  }
}

/** PostgreSQL's catalogue through information_schema and pg_catalog (pg_index, pg_constraint). */
async function readPgShape(client: PGlite): Promise<SchemaShape> {
  // A sitting's partitions (relispartition) carry their parent's shape: the parent is compared.
  const tables = await client.query<{ table_name: string }>(`
    SELECT t.table_name FROM information_schema.tables t
      JOIN pg_class c ON c.relname = t.table_name JOIN pg_namespace ns ON ns.oid = c.relnamespace AND ns.nspname = t.table_schema
     WHERE t.table_schema = 'public' AND t.table_type = 'BASE TABLE' AND NOT c.relispartition`);
  const columns = await client.query<{ table_name: string; column_name: string; data_type: string; is_nullable: string; column_default: string | null; is_identity: string }>(
    "SELECT table_name, column_name, data_type, is_nullable, column_default, is_identity FROM information_schema.columns WHERE table_schema = 'public'",
  );
  // Key columns only (indnkeyatts leaves out INCLUDE columns); attnum 0 is an expression.
  const indexes = await client.query<{ table_name: string; index_name: string; columns: string[]; unique: boolean; primary: boolean; partial: boolean }>(`
    SELECT t.relname AS table_name, i.relname AS index_name, x.indisunique AS unique, x.indisprimary AS primary,
           x.indpred IS NOT NULL AS partial,
           array(SELECT coalesce(a.attname::text, '<expression>')
                   FROM unnest(x.indkey::int2[]) WITH ORDINALITY AS k(attnum, n)
                   LEFT JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.attnum
                  WHERE k.n <= x.indnkeyatts ORDER BY k.n) AS columns
      FROM pg_index x
      JOIN pg_class t ON t.oid = x.indrelid
      JOIN pg_class i ON i.oid = x.indexrelid
      JOIN pg_namespace ns ON ns.oid = t.relnamespace
     WHERE ns.nspname = 'public'`);
  const foreignKeys = await client.query<{ table_name: string; references: string; columns: string[]; referenced_columns: string[] }>(`
    SELECT t.relname AS table_name, r.relname AS references,
           array(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY AS k(attnum, n)
                   JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum ORDER BY k.n) AS columns,
           array(SELECT a.attname::text FROM unnest(c.confkey) WITH ORDINALITY AS k(attnum, n)
                   JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.attnum ORDER BY k.n) AS referenced_columns
      FROM pg_constraint c
      JOIN pg_class t ON t.oid = c.conrelid
      JOIN pg_class r ON r.oid = c.confrelid
      JOIN pg_namespace ns ON ns.oid = t.relnamespace
     WHERE ns.nspname = 'public' AND c.contype = 'f'`);

  const shape: SchemaShape = {};
  for (const { table_name: table } of tables.rows) {
    const own = columns.rows.filter((c) => c.table_name === table);
    const ownIndexes = indexes.rows.filter((i) => i.table_name === table);
    shape[table] = {
      columns: Object.fromEntries(
        own.map((c) => [
          c.column_name,
          {
            notNull: c.is_nullable === 'NO',
            family: pgFamily(c.data_type),
            default: c.column_default === null ? null : c.column_default.replace(/::[a-z ]+$/, ''),
            generated: c.is_identity === 'YES',
          },
        ]),
      ),
      primaryKey: ownIndexes.find((i) => i.primary)?.columns ?? [],
      indexes: byName(ownIndexes.filter((i) => !i.primary).map((i) => ({ name: i.index_name, columns: i.columns, unique: i.unique, partial: i.partial }))),
      foreignKeys: sortForeignKeys(
        foreignKeys.rows.filter((f) => f.table_name === table).map((f) => ({ columns: f.columns, references: f.references, referencedColumns: f.referenced_columns })),
      ),
    };
  }
  return shape;
}

function pgFamily(dataType: string): Family {
  switch (dataType) {
    case 'smallint':
    case 'integer':
    case 'bigint':
    case 'boolean':
      return 'integer';
    case 'real':
    case 'double precision':
      return 'real';
    case 'text':
      return 'text';
    default:
      throw new Error(`PostgreSQL column type ${dataType} has no SQLite family here yet`);
  }
}

/** Sorted here, not in SQL: PostgreSQL's collation may order underscores apart from SQLite's. */
function byName(indexes: IndexShape[]): IndexShape[] {
  return indexes.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function sortForeignKeys(keys: ForeignKeyShape[]): ForeignKeyShape[] {
  const key = (fk: ForeignKeyShape) => `${fk.columns.join()}>${fk.references}`;
  return keys.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}
