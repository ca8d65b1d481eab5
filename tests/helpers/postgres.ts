import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

/**
 * A real PostgreSQL server for tests: Debian's packaged binaries (`apt-get install postgresql`,
 * see .ci/run), a fresh cluster in a temp directory, reachable on 127.0.0.1 only. No Docker,
 * no network. Durability settings are the production ones (fsync, synchronous_commit), so a
 * kill -9 test through `kill()` measures what a deployment would keep.
 */
export interface TestPostgres {
  /** postgresql://postgres@127.0.0.1:<port>/ceping */
  url: string;
  /** The cluster's PGDATA: base/<database oid>/ holds the table files. */
  dataDir: string;
  /** Stops the server (fast shutdown) and removes its directory. */
  stop(): Promise<void>;
  /** SIGKILL to the postmaster and every backend: a crash, nothing flushed beyond what was committed. */
  kill(): void;
  /** Starts the killed (or stopped) server again on the same data directory: crash recovery replays the WAL. */
  restart(): Promise<void>;
}

/** Running, not a zombie waiting to be reaped. */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** The postmaster's pid and its children's (the backends, the WAL writer, the checkpointer). */
function clusterPids(postmaster: number): number[] {
  const children = readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may hold spaces, so read after its ')'.
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === postmaster;
      } catch {
        return false;
      }
    })
    .map(Number);
  return [postmaster, ...children];
}

const run = promisify(execFile);
const ROOT = '/usr/lib/postgresql';

/** The bin directory of the newest installed PostgreSQL, or null. */
function binDir(): string | null {
  if (!existsSync(ROOT)) return null;
  const versions = readdirSync(ROOT)
    .filter((v) => existsSync(join(ROOT, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(ROOT, versions[0], 'bin') : null;
}

const asRoot = process.getuid?.() === 0;

export function postgresAvailable(): boolean {
  if (!binDir()) return false;
  // initdb and the server refuse to run as root: then they run as Debian's `postgres` user.
  return !asRoot || (existsSync('/usr/sbin/runuser') && readFileSync('/etc/passwd', 'utf8').split('\n').some((l) => l.startsWith('postgres:')));
}

/** Runs a PostgreSQL binary, as `postgres` when we are root. */
function pgExec(bin: string, args: string[]): Promise<{ stdout: string; stderr: string }> {
  const dir = binDir();
  if (!dir) throw new Error('PostgreSQL is not installed (/usr/lib/postgresql/*/bin)');
  const [file, argv] = asRoot ? ['/usr/sbin/runuser', ['-u', 'postgres', '--', join(dir, bin), ...args]] : [join(dir, bin), args];
  return run(file, argv, { env: { ...process.env, LC_ALL: 'C' } });
}

/** A port nobody listens on right now (the kernel's pick). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export async function startPostgres(): Promise<TestPostgres> {
  const root = mkdtempSync(join(tmpdir(), 'ceping-pg-'));
  const dataDir = join(root, 'data');
  if (asRoot) chownSync(root, uidOf('postgres'), gidOf('postgres'));
  try {
    // --no-sync: the empty cluster need not survive a power cut; the server itself runs with fsync on.
    await pgExec('initdb', ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-sync']);
    const port = await freePort();
    const options = [
      'listen_addresses=127.0.0.1',
      `port=${port}`,
      `unix_socket_directories=${root}`,
      'fsync=on',
      'synchronous_commit=on',
      'full_page_writes=on',
      // A Pool of 30 for the spend-once race, plus the test's own connections.
      'max_connections=50',
      'shared_buffers=32MB',
      // Removed WAL segments are unlinked, not renamed for reuse with their old bytes (SECURITY.md, On PostgreSQL).
      'wal_recycle=off',
    ];
    const start = async () => {
      await pgExec('pg_ctl', ['-D', dataDir, '-l', join(root, 'server.log'), '-w', '-t', '30', '-o', options.map((o) => `-c ${o}`).join(' '), 'start']);
      return Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    };
    let pid = await start();
    let killed: number[] = [];
    await pgExec('createdb', ['-h', root, '-p', String(port), '-U', 'postgres', 'ceping']);
    return {
      url: `postgresql://postgres@127.0.0.1:${port}/ceping`,
      dataDir,
      kill: () => {
        killed = clusterPids(pid);
        for (const each of killed) {
          try {
            process.kill(each, 'SIGKILL');
          } catch {
            // already gone
          }
        }
      },
      async restart() {
        const deadline = Date.now() + 10_000;
        while (killed.some(alive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
        // The killed postmaster's lock files (data directory, socket) stay behind. Its process may
        // linger as a zombie (this machine's init does not reap it), which PostgreSQL takes for a
        // live postmaster: once every killed process is gone or a zombie, the files go, as an
        // operator would remove them.
        if (killed.length > 0) for (const lock of [join(dataDir, 'postmaster.pid'), join(root, `.s.PGSQL.${port}.lock`), join(root, `.s.PGSQL.${port}`)]) rmSync(lock, { force: true });
        killed = [];
        try {
          pid = await start();
        } catch (error) {
          throw new Error(`PostgreSQL did not restart: ${(error as Error).message}\nstill there: ${killed.filter(alive).join(' ')}\n${readFileSync(join(root, 'server.log'), 'utf8').slice(-2000)}`);
        }
      },
      async stop() {
        // After kill() there is nothing to stop; the directory goes either way.
        await pgExec('pg_ctl', ['-D', dataDir, '-m', 'fast', '-w', 'stop']).catch(() => undefined);
        rmSync(root, { recursive: true, force: true });
      },
    };
  } catch (error) {
    const log = existsSync(join(root, 'server.log')) ? readFileSync(join(root, 'server.log'), 'utf8') : '';
    rmSync(root, { recursive: true, force: true });
    throw new Error(`PostgreSQL did not start: ${(error as Error).message}\n${log}`);
  }
}

function passwdEntry(user: string): string[] {
  const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith(`${user}:`));
  if (!line) throw new Error(`no ${user} user`);
  return line.split(':');
}

const uidOf = (user: string) => Number(passwdEntry(user)[2]);
const gidOf = (user: string) => Number(passwdEntry(user)[3]);
