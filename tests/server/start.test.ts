import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../helpers/api-client';
import { processDatabase, startServerProcess, type ServerProcess } from '../helpers/process';

const dir = mkdtempSync(join(tmpdir(), 'ceping-start-'));
/** A SQLite file in a directory not yet made, or a fresh, empty PostgreSQL database. */
const database = await processDatabase(join(dir, 'fresh'));
let running: ServerProcess | undefined;
afterAll(async () => {
  await running?.stop();
  await database?.drop();
  rmSync(dir, { recursive: true, force: true });
});

// PGlite lives inside one process: a server process cannot be started on it.
describe.skipIf(!database)('starting the app on a fresh machine', () => {
  it('creates the database, prints a generated admin password once, and loads the demo assessment', async () => {
    running = await startServerProcess({ ...database!.env, ADMIN_PASSWORD: '' });
    const printed = /shown once\): (\S+)/.exec(running.output());
    expect(printed).not.toBeNull();

    const home = await fetch(`${running.url}/`);
    expect(home.status).toBe(200);
    expect(await home.text()).toContain('民主测评');

    const admin = new ApiClient(running.url);
    await admin.login('admin', printed![1]!);
    const list = await admin.call(admin.api.admin.assessments.$get());
    expect(list.body.assessments).toHaveLength(1);
    const demo = await admin.call(admin.api.admin.assessments[':id'].$get({ param: { id: String(list.body.assessments[0]!.id) } }));
    expect(demo.body.subjects.length).toBeGreaterThanOrEqual(10);
    expect(demo.body.sittings[0]!.status).toBe('open');
    await running.stop();

    // A second start keeps the data and prints no new password.
    running = await startServerProcess({ ...database!.env, ADMIN_PASSWORD: '' });
    expect(running.output()).not.toContain('shown once');
    const again = new ApiClient(running.url);
    await again.login('admin', printed![1]!);
    expect((await again.call(again.api.admin.assessments.$get())).body.assessments).toHaveLength(1);
    await running.stop();
    running = undefined;
  });
});
