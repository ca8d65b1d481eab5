import Database from 'better-sqlite3';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import type { Answers } from '../../shared/forms';
import { ROOT } from '../helpers/process';

/**
 * The per-ballot durable limit of ingest.bench.ts, as a process of its own like the server it is
 * compared with: a bare node:http server that parses the JSON and runs one prepared insert per
 * ballot in its own immediate transaction, WAL and synchronous=FULL.
 * `node --import tsx tests/bench/memory-bare-ingest.ts FILE` prints `listening PORT`.
 */
function serveBare(file: string): void {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('CREATE TABLE ballots (id TEXT PRIMARY KEY, answers TEXT NOT NULL) WITHOUT ROWID');
  const insert = db.prepare('INSERT INTO ballots VALUES (?, ?)');
  const once = db.transaction((id: string, json: string) => insert.run(id, json));
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString()) as { answers: Answers };
      once.immediate(randomUUID(), JSON.stringify(body.answers));
      res.writeHead(201, { 'Content-Type': 'application/json' }).end('{"receipt":"X"}');
    });
  });
  server.listen(0, '127.0.0.1', () => console.log(`listening ${(server.address() as AddressInfo).port}`));
  process.on('SIGTERM', () => server.close(() => (db.close(), process.exit(0))));
}

/** Starts the bare server as a child process on `file`; resolves once it listens. */
export function startBareIngest(file: string): Promise<{ url: string; child: ChildProcess; stop(): Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'tests/bench/memory-bare-ingest.ts', file], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  return new Promise((done, fail) => {
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const port = /listening (\d+)/.exec(out)?.[1];
      if (port)
        done({
          url: `http://127.0.0.1:${port}/`,
          child,
          stop: () => new Promise<void>((stopped) => (child.exitCode !== null ? stopped() : (child.once('exit', () => stopped()), child.kill('SIGTERM')))),
        });
    });
    child.once('exit', (code) => fail(new Error(`bare ingest server exited (${code}):\n${out}`)));
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) serveBare(process.argv[2]!);
