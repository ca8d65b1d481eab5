/** The only reader of process.env: configuration of PRODUCT.md, validated once. */
export interface Env {
  port: number;
  host: string;
  dbFile: string;
  /** DATABASE_URL=postgres://…: PostgreSQL instead of the SQLite file (db/engine-choice.ts). */
  databaseUrl: string | undefined;
  adminPassword: string | undefined;
  /** Load the demo assessment on an empty database (default on; CEPING_DEMO=0 turns it off). */
  loadDemo: boolean;
  /** Serve static files of the built client from here. */
  clientDir: string;
  /** Where people reach the app (https://…), when a proxy hides it from the request. */
  publicOrigin: string | undefined;
  /**
   * CEPING_SHARED_DATABASE=1: other app servers use this database too (behind a load balancer),
   * so the throttles count in it. Off, they count in this process, and a refused request writes
   * nothing to the database at all. On by default with DATABASE_URL (PostgreSQL).
   */
  sharedDatabase: boolean;
}

export function readEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const port = Number(source.PORT ?? 8787);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got ${source.PORT}`);
  return {
    port,
    host: source.HOST ?? '0.0.0.0',
    dbFile: source.DB_FILE ?? './data/ceping.sqlite',
    databaseUrl: source.DATABASE_URL || undefined,
    adminPassword: source.ADMIN_PASSWORD || undefined,
    loadDemo: source.CEPING_DEMO !== '0',
    clientDir: source.CLIENT_DIR ?? './dist/client',
    publicOrigin: source.PUBLIC_ORIGIN ? originOf(source.PUBLIC_ORIGIN) : undefined,
    // A PostgreSQL database is there to be shared by app servers: on it the throttles count in
    // the database unless CEPING_SHARED_DATABASE=0 says this server is alone.
    sharedDatabase: source.CEPING_SHARED_DATABASE === '1' || (Boolean(source.DATABASE_URL) && source.CEPING_SHARED_DATABASE !== '0'),
  };
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    throw new Error(`PUBLIC_ORIGIN must be a URL such as https://ceping.example.org, got ${url}`);
  }
}
