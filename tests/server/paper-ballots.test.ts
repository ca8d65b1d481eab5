import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import type { ApiErrorBody } from '../../shared/errors';
import { normaliseToken } from '../../shared/token';
import { serverWithAdmin } from '../helpers/admin-server';
import { byId, setUpSitting } from '../helpers/api-client';

// Asynchronous: the test server runs in this process, and a blocked loop would drop its kept-alive connections.
const run = promisify(execFile);
const SUBJECTS = 120;
const DPI = 100;

/** The QR code in a paper ballot page's top right corner (server/services/slips/paper.ts: 24 mm, 10 mm from the edges). */
function cornerQr(png: Buffer): string | null {
  const page = PNG.sync.read(png);
  const px = (mm: number) => Math.round((mm / 25.4) * DPI);
  const x = px(297 - 10 - 24 - 4);
  const y = px(2);
  const size = px(34);
  const crop = new PNG({ width: size, height: size });
  PNG.bitblt(page, crop, x, y, Math.min(size, page.width - x), size, 0, 0);
  return jsQR(new Uint8ClampedArray(crop.data.buffer, crop.data.byteOffset, crop.data.byteLength), size, size)?.data ?? null;
}

const env = serverWithAdmin();

describe('paper ballots (纸质测评票)', () => {
  it('prints one per slip: every subject of every form on continued pages, the slip’s QR and code on each page, counted as printed', async () => {
    const { sittingId } = await setUpSitting(env.admin, { cadres: SUBJECTS, forms: [{ kind: 'cadre', dimensions: true }, 'political'] });
    const issued = await env.admin.call(env.admin.api.admin.sittings[':id'].tokens.$post({ ...byId(sittingId), json: { voterGroup: '委员', count: 3 } }));
    expect(issued.status).toBe(201);
    const { batchId, tokens } = issued.body;

    const res = await env.admin.api.admin.batches[':id'].paper.$post(byId(batchId));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    const dir = mkdtempSync(join(tmpdir(), 'ceping-paper-'));
    try {
      writeFileSync(join(dir, 'paper.pdf'), new Uint8Array(await res.arrayBuffer()));
      // Every subject's name is printed on every ballot, once per form: nothing is cut off past a page.
      const text = (await run('pdftotext', ['-layout', join(dir, 'paper.pdf'), '-'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })).stdout;
      for (let i = 1; i <= SUBJECTS; i++) expect(text.split(`干部${i}\n`).length + text.split(`干部${i} `).length - 2, `干部${i}`).toBeGreaterThanOrEqual(tokens.length * 2);
      expect(text).toContain('测试场次');
      expect(text).toContain('委员');
      expect(text).toContain('总体评价');
      expect(text).toContain('违反政治纪律');
      // Each page also prints the whole code, for typing when a QR code cannot be read: it types back to the slip.
      const typed = [...text.matchAll(/票码 code ((?:[A-Z2-7]{4} ){6}[A-Z2-7]{2})/g)].map((m) => normaliseToken(m[1]!));
      expect(new Set(typed)).toEqual(new Set(tokens));

      // Every page's QR code decodes to a slip of the batch; each slip's pages carry its own.
      await run('pdftoppm', ['-r', String(DPI), '-gray', '-png', join(dir, 'paper.pdf'), join(dir, 'page')]);
      const pages = readdirSync(dir).filter((f) => f.endsWith('.png')).sort();
      const decoded = pages.map((f) => cornerQr(readFileSync(join(dir, f))));
      expect(decoded.every((url) => url !== null)).toBe(true);
      const perToken = new Map<string, number>();
      for (const url of decoded) {
        const match = /\/vote#([a-z2-7]{26})$/.exec(url!);
        expect(match, url!).not.toBeNull();
        perToken.set(match![1]!, (perToken.get(match![1]!) ?? 0) + 1);
      }
      expect([...perToken.keys()].sort()).toEqual([...tokens].sort());
      const counts = [...perToken.values()];
      expect(counts.every((n) => n === counts[0] && n > 2)).toBe(true);
      // Pages follow their ballot: the first pages are the first slip's.
      expect(decoded.slice(0, counts[0]).every((url) => url!.endsWith(tokens[0]!))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }

    // Printed on paper counts as printed in the reconciliation's figures.
    const overview = await env.admin.call(env.admin.api.admin.sittings[':id'].overview.$get(byId(sittingId)));
    expect(overview.body.batches).toMatchObject([{ id: batchId, count: 3, printed: 3 }]);
  });

  it('refuses a batch no longer held for printing', async () => {
    const res = await env.admin.api.admin.batches[':id'].paper.$post(byId(999_999));
    expect(res.status).toBe(404);
    expect(((await res.json()) as unknown as ApiErrorBody).error.code).toBe('unknown_batch');
  });
});
