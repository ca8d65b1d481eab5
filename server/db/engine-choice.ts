/** Which database a DATABASE_URL names: none is the embedded SQLite file (DB_FILE). */
export type EngineKind = 'sqlite' | 'postgres' | 'pglite';

/**
 * `postgres://…` or `postgresql://…`: a PostgreSQL server (or a compatible one). `pglite:` (an
 * in-memory database) or `pglite:/some/dir`: PostgreSQL compiled to WebAssembly, in this process,
 * for fast tests and trials. Anything else is refused at start, not taken for SQLite.
 */
export function engineOf(url: string | undefined): EngineKind {
  if (!url) return 'sqlite';
  if (/^postgres(ql)?:\/\//.test(url)) return 'postgres';
  if (url.startsWith('pglite:')) return 'pglite';
  throw new Error(`DATABASE_URL must be postgres://… (or pglite: for trials), got ${url.split('@').pop()}`);
}
