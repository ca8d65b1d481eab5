import Database from 'better-sqlite3';
import ExcelJS from 'exceljs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAuditHead } from '../../shared/audit';
import { openDatabase } from '../../server/db/connect';
import { createAssessment } from '../../server/services/subjects/assessments';
import { addSubjects } from '../../server/services/subjects/subjects';
import { entryHash } from '../../server/services/audit/audit';
import { bootstrap } from '../../server/services/bootstrap';
import { createSitting, openSitting } from '../../server/services/sittings/sittings';
import { ApiClient, castBallot, setUpSitting, byId } from '../helpers/api-client';
import { npmScript } from '../helpers/process';
import { onSqlite, startServer, type TestServer } from '../helpers/server';

/** Acceptance 4: editing one audit row in the SQLite file makes `npm run audit:verify` fail and name it. */
let dir: string;
let dbFile: string;

/** `npm run audit:verify -- ...args` on a file (by default the one of the first block), as an operator runs it. */
function verify(args: string[] = [], file = dbFile): Promise<{ code: number; out: string }> {
  return npmScript('audit:verify', args, file);
}

// The audit CLI on a SQLite file of its own, tampered with through the file.
describe.skipIf(!onSqlite)('npm run audit:verify', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ceping-audit-'));
    dbFile = join(dir, 'ceping.sqlite');
    const db = await openDatabase({ dbFile });
    await bootstrap(db, { adminPassword: 'test-admin-password', loadDemo: false });
    const assessmentId = await createAssessment(db, 'admin', '审计测试', 2026);
    await addSubjects(db, 'admin', assessmentId, [{ key: 'C1', kind: 'cadre', name: '干部1' }]);
    const sittingId = await createSitting(db, 'admin', assessmentId, { name: '场次', forms: ['cadre'], subjectKeys: ['C1'], voterGroups: [{ name: '委员', weight: 100 }] });
    await openSitting(db, 'admin', sittingId);
    await db.$engine.close();
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

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

const HEAD = /^#(\d+):([0-9a-f]{64})$/;

/** The `审计链头 audit head` row of a CSV file's text. */
function csvHead(text: string): string | undefined {
  return /^审计链头 audit head,(.*)$/m.exec(text)?.[1]?.trim();
}

/**
 * Rewrites the chain as someone holding the file could: deletes entry `seq` and renumbers and
 * rehashes every later entry with the same formula, so each link holds again.
 */
function deleteAndRechain(file: string, seq: number): void {
  const sqlite = new Database(file);
  sqlite.transaction(() => {
    sqlite.prepare('DELETE FROM audit_log WHERE seq = ?').run(seq);
    type Row = { seq: number; at: number; actor: string; action: string; target: string; detail: string; prev_hash: string; hash: string };
    const rows = sqlite.prepare('SELECT * FROM audit_log WHERE seq > ? ORDER BY seq').all(seq) as Row[];
    let prevHash = (sqlite.prepare('SELECT hash FROM audit_log WHERE seq = ?').get(seq - 1) as { hash: string } | undefined)?.hash ?? '0'.repeat(64);
    const update = sqlite.prepare('UPDATE audit_log SET seq = ?, prev_hash = ?, hash = ? WHERE seq = ?');
    for (const row of rows) {
      const entry = { seq: row.seq - 1, at: row.at, actor: row.actor, action: row.action, target: row.target, detail: row.detail, prevHash };
      const hash = entryHash(entry);
      update.run(entry.seq, prevHash, hash, row.seq);
      prevHash = hash;
    }
  })();
  sqlite.close();
}

describe('the audit head, published and checked with audit:verify --head', () => {
  let server: TestServer;
  let admin: ApiClient;
  let sittingId: number;
  /** The head the close response published. */
  let closeHead: string;
  /** A copy of the server's database, taken before the server stopped (close() deletes its directory). */
  let copyDir: string;
  let copy: string;
  let stopped = false;
  const stop = async () => {
    if (!stopped) await server.close();
    stopped = true;
  };
  const sitting = () => admin.api.admin.sittings[':id'];
  const boardHead = async () => {
    const anyone = new ApiClient(server.url, null);
    return (await anyone.call(anyone.api.public.sittings[':id'].receipts.$get(byId(sittingId)))).body.auditHead as string;
  };
  const newestEntry = async () => (await admin.call(admin.api.admin.audit.$get({ query: { limit: '1' } }))).body.entries[0] as { seq: number; hash: string; action: string };

  beforeAll(async () => {
    server = await startServer();
    admin = await new ApiClient(server.url).login();
    ({ sittingId } = await setUpSitting(admin, { cadres: 2, forms: ['cadre'] }));
    const batch = await admin.call(sitting().tokens.$post({ ...byId(sittingId), json: { voterGroup: '委员', count: 5 } }));
    await admin.call(sitting().open.$post(byId(sittingId)));
    expect(await castBallot(server.url, batch.body.tokens[0]!)).toBe(201);
    const closed = await admin.call(sitting().close.$post(byId(sittingId)));
    expect(closed.status).toBe(200);
    closeHead = closed.body.auditHead;
    copyDir = mkdtempSync(join(tmpdir(), 'ceping-audit-head-'));
    copy = join(copyDir, 'ceping.sqlite');
  });

  afterAll(async () => {
    await stop();
    rmSync(copyDir, { recursive: true, force: true });
  });

  it('publishes the head after the close entry on the close response and the receipt board', async () => {
    expect(closeHead).toMatch(HEAD);
    const newest = await newestEntry();
    expect(newest.action).toBe('sitting.close');
    expect(closeHead).toBe(`#${newest.seq}:${newest.hash}`);
    expect(await boardHead()).toBe(closeHead);
    // The reconciliation keeps the head it was closed under, for whoever reads it later.
    expect((await admin.call(sitting().results.$get(byId(sittingId)))).body.closeAuditHead).toBe(closeHead);
  });

  it('prints on each export the head that includes its own export entry, and the board moves on after later acts', async () => {
    const closeSeq = parseAuditHead(closeHead)!.seq!;
    const csv = await sitting()['results.csv'].$post(byId(sittingId));
    expect(csv.status).toBe(200);
    const csvHeadText = csvHead(await csv.text());
    const afterCsv = await newestEntry();
    expect(afterCsv).toMatchObject({ seq: closeSeq + 1, action: 'results.export' });
    expect(csvHeadText).toBe(`#${afterCsv.seq}:${afterCsv.hash}`);

    const xlsx = await sitting()['results.xlsx'].$post(byId(sittingId));
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await xlsx.arrayBuffer());
    let xlsxHead: string | undefined;
    book.getWorksheet('核对 Summary')!.eachRow((row) => {
      if (row.getCell(1).value === '审计链头 audit head') xlsxHead = String(row.getCell(2).value);
    });
    const afterXlsx = await newestEntry();
    expect(afterXlsx).toMatchObject({ seq: closeSeq + 2, action: 'results.export' });
    expect(xlsxHead).toBe(`#${afterXlsx.seq}:${afterXlsx.hash}`);

    // The exports were administrative acts themselves: the board now shows a later head, and publishing moves it again.
    expect(await boardHead()).toBe(xlsxHead);
    expect((await admin.call(sitting().publish.$post(byId(sittingId)))).status).toBe(200);
    const afterPublish = await boardHead();
    expect(afterPublish).not.toBe(xlsxHead);
    expect(parseAuditHead(afterPublish)!.seq).toBe(closeSeq + 3);
  });

  // The CLI on a copy of the server's SQLite file (sqlite.backup), rewritten through the file below.
  it.skipIf(!onSqlite)('passes --head with the head published at close, or its hash alone, on the untouched file', async () => {
    // The server's own file goes with its directory on close(): keep a consistent copy, then stop it.
    const sqlite = new Database(server.dbFile);
    await sqlite.backup(copy);
    sqlite.close();
    await stop();
    const { code, out } = await verify(['--head', closeHead], copy);
    expect(code).toBe(0);
    expect(out).toContain('the published head is in the chain');
    expect(out).toMatch(/audit head: #\d+:[0-9a-f]{64}/);
    expect((await verify(['--head', parseAuditHead(closeHead)!.hash], copy)).code).toBe(0);
  });

  it.skipIf(!onSqlite)('catches a deleted row whose later entries were renumbered and rehashed consistently', async () => {
    deleteAndRechain(copy, 2);
    // The rewrite is consistent: every link holds, so the plain check cannot see it.
    const plain = await verify([], copy);
    expect(plain.code).toBe(0);
    expect(plain.out).toContain('every link holds');
    // Only the head written down at close can.
    const withHead = await verify(['--head', closeHead], copy);
    expect(withHead.code).toBe(1);
    expect(withHead.out).toContain(`published head ${closeHead}`);
    expect(withHead.out).toContain('已公布的链头');
    const hashOnly = await verify(['--head', parseAuditHead(closeHead)!.hash], copy);
    expect(hashOnly.code).toBe(1);
    expect(hashOnly.out).toContain('is no longer in the chain');
  });

  // Refused before any database is opened: on either engine.
  it('refuses a malformed or missing --head value, and an unknown option, with a clear message', async () => {
    const bad = await verify(['--head', '#3:not-a-hash'], copy);
    expect(bad.code).not.toBe(0);
    expect(bad.out).toContain('审计链头格式有误');
    expect(bad.out).toContain('malformed --head');
    const missing = await verify(['--head'], copy);
    expect(missing.code).not.toBe(0);
    expect(missing.out).toContain('malformed --head');
    const typo = await verify(['--haed', closeHead], copy);
    expect(typo.code).not.toBe(0);
    expect(typo.out).toContain('unknown argument');
  });
});
