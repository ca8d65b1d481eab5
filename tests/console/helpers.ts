import ExcelJS from 'exceljs';
import jsQR from 'jsqr';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import type { Browser, Page } from 'playwright-core';
import { ApiClient } from '../helpers/api-client';
import { launchBrowser, SCREENSHOT_DIR } from '../helpers/browser';
import { ADMIN_PASSWORD, startServer, type TestServer } from '../helpers/server';

/** Logs in through the console's own login form. */
export async function logInInBrowser(page: Page, baseUrl: string, username = 'admin', password = ADMIN_PASSWORD): Promise<void> {
  await page.goto(`${baseUrl}/admin`);
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', password);
  await page.click('button[type=submit]');
  await page.waitForSelector('header.topbar');
}

/** The real server with the built client, an admin API client, and Chromium with the admin logged in on a 1280-wide page. */
export async function openAdminConsole(): Promise<{ server: TestServer; admin: ApiClient; browser: Browser; page: Page }> {
  const server = await startServer({ withClient: true });
  const admin = await new ApiClient(server.url).login();
  const browser = await launchBrowser();
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  await logInInBrowser(page, server.url);
  return { server, admin, browser, page };
}

/** Decodes the QR code in a PNG (a screenshot) with a real decoder; null when none is found. */
export function decodeQr(png: Buffer): string | null {
  const image = PNG.sync.read(png);
  return jsQR(new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.data.byteLength), image.width, image.height)?.data ?? null;
}

/**
 * Decodes every QR code on a page from one full-page screenshot: each element's box (CSS px)
 * is cropped out of the picture with a small margin and given to the decoder.
 */
export async function decodeQrsOnPage(page: Page, selector: string): Promise<(string | null)[]> {
  const scale = await page.evaluate(() => window.devicePixelRatio);
  const boxes = await page.locator(selector).evaluateAll((els) =>
    els.map((el) => {
      const r = el.getBoundingClientRect();
      return { x: r.left + window.scrollX, y: r.top + window.scrollY, width: r.width, height: r.height };
    }),
  );
  const shot = PNG.sync.read(await page.screenshot({ fullPage: true }));
  return boxes.map((box) => {
    const margin = 6;
    const x = Math.max(0, Math.floor((box.x - margin) * scale));
    const y = Math.max(0, Math.floor((box.y - margin) * scale));
    const w = Math.min(shot.width - x, Math.ceil((box.width + 2 * margin) * scale));
    const h = Math.min(shot.height - y, Math.ceil((box.height + 2 * margin) * scale));
    const crop = new PNG({ width: w, height: h });
    PNG.bitblt(shot, crop, x, y, w, h, 0, 0);
    return jsQR(new Uint8ClampedArray(crop.data.buffer, crop.data.byteOffset, crop.data.byteLength), w, h)?.data ?? null;
  });
}

/** The ten QR codes of a slips PDF page rendered at `dpi`: the grid of server/services/pdf-slips.ts (2 x 5 slips of 95 x 56 mm). */
export function decodePdfPageQrs(png: Buffer, dpi: number): (string | null)[] {
  const page = PNG.sync.read(png);
  const px = (mm: number) => Math.round((mm / 25.4) * dpi);
  const out: (string | null)[] = [];
  for (let i = 0; i < 10; i++) {
    const x = px(10 + (i % 2) * 95 + 4 - 2);
    const y = px(8.5 + Math.floor(i / 2) * 56 + 10 - 2);
    const size = px(40);
    const crop = new PNG({ width: size, height: size });
    PNG.bitblt(page, crop, x, y, size, size, 0, 0);
    out.push(jsQR(new Uint8ClampedArray(crop.data.buffer, crop.data.byteOffset, crop.data.byteLength), size, size)?.data ?? null);
  }
  return out;
}

export async function saveScreenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, name);
  writeFileSync(path, await page.screenshot({ fullPage: true }));
  return path;
}

export interface SubjectRow {
  key: string;
  kind: string;
  name: string;
  title?: string;
  category?: string;
  type?: string;
  teamKey?: string;
  role?: string;
}

/** A subject list as admins keep it: Chinese headers, teams then cadres. */
export function subjectList(teams: number, cadres: number): SubjectRow[] {
  const rows: SubjectRow[] = [];
  for (let i = 1; i <= teams; i++) rows.push({ key: `T${String(i).padStart(3, '0')}`, kind: '班子', name: `第${i}市委领导班子`, category: i % 2 ? '市州' : '省直部门', type: i % 3 ? '第一类型' : '第二类型' });
  for (let i = 1; i <= cadres; i++) {
    const team = `T${String(((i - 1) % teams) + 1).padStart(3, '0')}`;
    rows.push({ key: `C${String(i).padStart(4, '0')}`, kind: '干部', name: `干部${i}号`, title: i % 5 === 1 ? '市委书记' : '副市长', teamKey: team, role: i % 5 === 1 ? '正职' : '副职' });
  }
  return rows;
}

export async function xlsxOf(rows: SubjectRow[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('名单');
  sheet.addRow(['编号', '类型', '姓名/名称', '职务', '类别', '分类', '所属班子', '正职/副职']);
  for (const r of rows) sheet.addRow([r.key, r.kind, r.name, r.title ?? '', r.category ?? '', r.type ?? '', r.teamKey ?? '', r.role ?? '']);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
