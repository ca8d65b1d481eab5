import { serve, type ServerType } from '@hono/node-server';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../server/app';
import { openDb, type Db } from '../../server/db/open';
import type { Faults } from '../../server/services/ballot-box/ballot-box';
import { bootstrap } from '../../server/services/bootstrap';
import { BUILT_CLIENT } from './built-client';

export const ADMIN_PASSWORD = 'test-admin-password';

/** The client as `npm run build` leaves it. */
export { BUILT_CLIENT };

export interface TestServer {
  url: string;
  origin: string;
  db: Db;
  dbFile: string;
  /** Every line the server logged during the test. */
  logs: string[];
  close(): Promise<void>;
}

/**
 * The real server on a loopback port with a fresh SQLite file: what a test talks to over HTTP.
 * Serves the built client from dist/client when `withClient` is set (run `npm run build` first),
 * or from `clientDir`. With `restoreFrom`, the server starts on a copy of that database file.
 */
export async function startServer(
  options: { faults?: Faults; withClient?: boolean; clientDir?: string; demo?: boolean; publicOrigin?: string; restoreFrom?: string } = {},
): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'ceping-test-'));
  const dbFile = join(dir, 'ceping.sqlite');
  // A restore as the README tells it: the backup file copied into place before the server starts.
  if (options.restoreFrom) copyFileSync(options.restoreFrom, dbFile);
  const db = openDb(dbFile);
  await bootstrap(db, { adminPassword: ADMIN_PASSWORD, loadDemo: options.demo ?? false });
  const logs: string[] = [];
  const app = createApp({
    db,
    log: (line) => logs.push(line),
    publicOrigin: options.publicOrigin,
    ...(options.faults ? { faults: options.faults } : {}),
    ...(options.clientDir ? { clientDir: options.clientDir } : options.withClient ? { clientDir: BUILT_CLIENT } : {}),
  });
  const server: ServerType = await new Promise((done) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => done(s));
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    origin: url,
    db,
    dbFile,
    logs,
    close: () =>
      new Promise((done) => {
        server.close(() => {
          db.$client.close();
          rmSync(dir, { recursive: true, force: true });
          done();
        });
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      }),
  };
}
