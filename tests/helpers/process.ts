import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { promisify } from 'node:util';

export const ROOT = resolve(import.meta.dirname, '../..');

export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => done(port));
    });
  });
}

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  output(): string;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** The node flags `npm start` gives the server (package.json config.serverNodeFlags). */
function serverNodeFlags(): string[] {
  const { config } = JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8')) as { config?: { serverNodeFlags?: string } };
  return (config?.serverNodeFlags ?? '').split(/\s+/).filter(Boolean);
}

/** Starts `server/main.ts` as `npm start` does after its build (`nodeArgs`: more flags for node, e.g. --cpu-prof), and waits until it answers. */
export async function startServerProcess(env: Record<string, string>, nodeArgs: string[] = []): Promise<ServerProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [...serverNodeFlags(), ...nodeArgs, '--import', 'tsx', 'server/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      if ((await fetch(`${url}/api/openapi.json`)).ok) break;
    } catch {
      // not up yet
    }
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`server did not start:\n${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    child,
    output: () => out,
    stop: (signal = 'SIGTERM') =>
      new Promise((done) => {
        if (child.exitCode !== null) return done();
        child.once('exit', () => done());
        child.kill(signal);
      }),
  };
}

/** `npm run <script> -- ...args` with DB_FILE set, as an operator runs it: its exit code and output. */
export async function npmScript(script: string, args: string[], dbFile: string): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)('npm', ['run', '--silent', script, '--', ...args], { cwd: ROOT, env: { ...process.env, DB_FILE: dbFile } });
    return { code: 0, out: stdout + stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout + e.stderr };
  }
}

/**
 * Where server processes of a test keep their data, on the engine of this test run: a SQLite
 * file in `dir`, or a fresh database on the PostgreSQL server of DATABASE_URL, dropped by
 * `drop()`. PGlite lives inside one process, so it cannot be shared by server processes: null.
 */
export async function processDatabase(dir: string): Promise<ProcessDatabase | null> {
  const { ENGINE, freshDatabase } = await import('./server');
  if (ENGINE === 'pglite') return null;
  if (ENGINE === 'sqlite') {
    const file = resolve(dir, 'ceping.sqlite');
    return {
      env: { DB_FILE: file },
      contents: async () => Buffer.concat([file, `${file}-wal`].filter((f) => existsSync(f)).map((f) => readFileSync(f))),
      drop: async () => {},
    };
  }
  const database = await freshDatabase();
  const url = database.url!;
  return {
    env: { DATABASE_URL: url },
    async contents() {
      const { default: pg } = await import('pg');
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        const tables = (await client.query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public'`)).rows as { tablename: string }[];
        const rows = await Promise.all(tables.map(async ({ tablename }) => (await client.query(`SELECT row_to_json(t)::text AS row FROM "${tablename}" t`)).rows as { row: string }[]));
        return Buffer.from(rows.flat().map((r) => r.row).join('\n'));
      } finally {
        await client.end();
      }
    },
    drop: () => database.drop(),
  };
}

export interface ProcessDatabase {
  /** What the servers are started with: DB_FILE or DATABASE_URL. */
  env: Record<string, string>;
  /** Everything the database holds: the SQLite file and its WAL as bytes, or every row of every PostgreSQL table as text. */
  contents(): Promise<Buffer>;
  drop(): Promise<void>;
}
