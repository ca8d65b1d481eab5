import Database from 'better-sqlite3';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../../server/db/open';
import { addSubjects, createAssessment } from '../../server/services/assessments';
import { bootstrap } from '../../server/services/bootstrap';
import { createSitting, openSitting } from '../../server/services/sittings';

/** Acceptance 4: editing one audit row in the SQLite file makes `npm run audit:verify` fail and name it. */
const run = promisify(execFile);
const root = resolve(import.meta.dirname, '../..');
let dir: string;
let dbFile: string;

async function verify(): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await run('npm', ['run', '--silent', 'audit:verify'], { cwd: root, env: { ...process.env, DB_FILE: dbFile } });
    return { code: 0, out: stdout + stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout + e.stderr };
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ceping-audit-'));
  dbFile = join(dir, 'ceping.sqlite');
  const db = openDb(dbFile);
  await bootstrap(db, { adminPassword: 'test-admin-password', loadDemo: false });
  const assessmentId = createAssessment(db, 'admin', '审计测试', 2026);
  addSubjects(db, 'admin', assessmentId, [{ key: 'C1', kind: 'cadre', name: '干部1' }]);
  const sittingId = createSitting(db, 'admin', assessmentId, { name: '场次', forms: ['cadre'], subjectKeys: ['C1'], voterGroups: [{ name: '委员', weight: 100 }] });
  openSitting(db, 'admin', sittingId);
  db.$client.close();
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npm run audit:verify', () => {
  it('passes on an untouched log', async () => {
    const { code, out } = await verify();
    expect(code).toBe(0);
    expect(out).toContain('5 entries');
  });

  it('fails and names the entry when one row is edited in the SQLite file', async () => {
    const sqlite = new Database(dbFile);
    sqlite.prepare("UPDATE audit_log SET detail = json_set(detail, '$.name', '改过的场次') WHERE seq = 4").run();
    sqlite.close();
    const { code, out } = await verify();
    expect(code).toBe(1);
    expect(out).toContain('entry 4 is broken');
    expect(out).toContain('does not match its hash');
  });

  it('fails when a row is deleted from the middle of the chain', async () => {
    const sqlite = new Database(dbFile);
    sqlite.prepare('DELETE FROM audit_log WHERE seq = 2').run();
    sqlite.close();
    const { code, out } = await verify();
    expect(code).toBe(1);
    expect(out).toMatch(/entry 3 is broken/);
  });
});
