import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tables from '../../server/db/tables';
import { ApiClient, castBallot, setUpSitting } from '../helpers/api-client';
import { everyRow, fileBytes } from '../helpers/database-image';
import { startServer, type TestServer } from '../helpers/server';

/**
 * No state change on GET or HEAD (issue 9, acceptance 4): printing counts and download audits are
 * recorded only by an Origin-checked POST. A bare or replayed GET, or any HEAD, records nothing.
 */
let server: TestServer;
let admin: ApiClient;
let sittingId: number;
let batchId: number;

const auditCount = async () => (await server.db.select({ n: count() }).from(tables.auditLog))[0]!.n;
const printed = async () => (await server.db.select({ printed: tables.tokenBatches.printed }).from(tables.tokenBatches).where(eq(tables.tokenBatches.id, batchId)))[0]!.printed;

async function raw(method: string, path: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(server.url + path, { method, headers: { Cookie: admin.cookie!, ...headers } });
}

beforeAll(async () => {
  server = await startServer();
  admin = await new ApiClient(server.url).login();
  ({ sittingId } = await setUpSitting(admin, { cadres: 2 }));
  const param = { id: String(sittingId) };
  const batch = await admin.call(admin.api.admin.sittings[':id'].tokens.$post({ param, json: { voterGroup: '委员', count: 6 } }));
  batchId = batch.body.batchId;
  await admin.call(admin.api.admin.sittings[':id'].open.$post({ param }));
  for (const token of batch.body.tokens.slice(0, 5)) await castBallot(server.url, token);
  await admin.call(admin.api.admin.sittings[':id'].close.$post({ param }));
});
afterAll(() => server.close());

describe('reading never writes', () => {
  it('records nothing for a HEAD or GET of the slips page and PDF, and offers a button that POSTs', async () => {
    const before = { audit: await auditCount(), printed: await printed() };
    for (const method of ['HEAD', 'GET']) {
      for (const path of [`/api/admin/batches/${batchId}/slips`, `/api/admin/batches/${batchId}/slips.pdf`]) {
        const res = await raw(method, path);
        expect(res.status, `${method} ${path}`).toBeLessThan(500);
        if (method === 'GET' && path.endsWith('/slips')) {
          expect(res.status).toBe(200);
          const html = await res.text();
          expect(html).toContain('<form method="post">');
          expect(html).not.toContain('<svg'); // no QR code, so nothing was printed
        }
        if (path.endsWith('.pdf')) expect(res.status).toBe(405);
      }
    }
    expect({ audit: await auditCount(), printed: await printed() }).toEqual(before);

    // The POST from our own origin prints and records, once.
    const page = await raw('POST', `/api/admin/batches/${batchId}/slips`, { Origin: server.url });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<svg');
    expect(await printed()).toBe(6);
    expect(await auditCount()).toBe(before.audit + 1);
  });

  it('refuses the POST from another origin, a sibling subdomain included, and records nothing', async () => {
    const before = await auditCount();
    for (const origin of ['https://evil.example', 'http://sub.127.0.0.1', 'null']) {
      const res = await raw('POST', `/api/admin/sittings/${sittingId}/results.csv`, { Origin: origin });
      expect(res.status, origin).toBe(403);
    }
    expect((await raw('POST', `/api/admin/sittings/${sittingId}/results.csv`)).status).toBe(403);
    // A browser's form POST from a no-referrer page says Origin: null; only a same-origin one passes.
    for (const site of ['same-site', 'cross-site', 'none']) {
      expect((await raw('POST', `/api/admin/sittings/${sittingId}/results.csv`, { Origin: 'null', 'Sec-Fetch-Site': site })).status, site).toBe(403);
    }
    expect(await auditCount()).toBe(before);
  });

  it('serves exports only to a POST: a GET or HEAD of an export URL gets 405 post_required and records nothing', async () => {
    const before = await auditCount();
    for (const method of ['GET', 'HEAD']) {
      for (const format of ['csv', 'xlsx']) {
        const res = await raw(method, `/api/admin/sittings/${sittingId}/results.${format}`);
        expect(res.status).toBe(405);
        if (method === 'GET') expect(((await res.json()) as { error: { code: string } }).error.code).toBe('post_required');
      }
    }
    expect(await auditCount()).toBe(before);
    const csv = await raw('POST', `/api/admin/sittings/${sittingId}/results.csv`, { Origin: server.url });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-disposition')).toContain('attachment');
    expect(await auditCount()).toBe(before + 1);
  });

  it('leaves the database unchanged after a round of every GET the console makes', async () => {
    // Every row on either engine; on SQLite the file's bytes too.
    const before = { rows: await everyRow(server), file: fileBytes(server) };
    const paths = ['/api/admin/me', '/api/admin/users', '/api/admin/assessments', `/api/admin/sittings/${sittingId}`, `/api/admin/sittings/${sittingId}/overview`, `/api/admin/sittings/${sittingId}/results`, `/api/admin/sittings/${sittingId}/turnout`, `/api/admin/sittings/${sittingId}/turnout/minutes`, '/api/admin/audit', `/api/public/sittings/${sittingId}/receipts`, `/api/admin/batches/${batchId}/slips`, '/api/admin/health'];
    for (const path of paths) {
      for (const method of ['GET', 'HEAD']) expect((await raw(method, path)).status, `${method} ${path}`).toBeLessThan(500);
    }
    expect(await everyRow(server)).toBe(before.rows);
    expect(fileBytes(server)).toBe(before.file);
  });
});
