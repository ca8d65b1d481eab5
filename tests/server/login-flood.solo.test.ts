import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOGIN_LIMITS } from '../../server/limits';
import { KdfBusy, KdfGate } from '../../server/services/accounts/passwords';
import { LoginThrottle, type LoginBudgets } from '../../server/services/accounts/rate-limit';
import { databaseWindows, memoryWindows, type Windows } from '../../server/services/accounts/throttle-windows';
import { openDatabase } from '../../server/db/connect';
import type { Db } from '../../server/db/database';
import { ADMIN_PASSWORD, startServer, type TestServer } from '../helpers/server';
import { ApiClient, errorOf } from '../helpers/api-client';

/**
 * SECURITY.md "login floods neither stall voters nor lock the admin out": 200 parallel wrong
 * logins for `admin` from strangers on one address (the hall's NAT) leave the voter page fast,
 * hash only the strangers' budget, and the admin's browser (device cookie) still logs in. Also:
 * the device cookie itself, its own lockout, the bounded hash queue, and (unit) the throttle's
 * reservation and the KDF gate.
 */

/** One login from a fresh client (no cookie, our Origin). */
const freshLogin = (url: string, json: { username: string; password: string }) => {
  const client = new ApiClient(url);
  return client.call(client.api.admin.login.$post({ json }));
};

/** A browser as far as cookies go: keeps every cookie it is given and sends each back on its path. */
class Browser {
  readonly jar = new Map<string, { value: string; path: string }>();

  constructor(
    readonly baseUrl: string,
    readonly origin = baseUrl,
  ) {}

  async post(path: string, body: unknown): Promise<{ status: number; body: any; headers: Headers }> {
    const cookies = [...this.jar].filter(([, c]) => path === c.path || path.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`)).map(([name, c]) => `${name}=${c.value}`);
    const res = await fetch(this.baseUrl + path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: this.origin, ...(cookies.length ? { Cookie: cookies.join('; ') } : {}) },
      body: JSON.stringify(body),
    });
    for (const line of res.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';').map((s) => s.trim());
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const path = attributes.find((a) => /^path=/i.test(a))?.slice(5) ?? '/';
      if (attributes.some((a) => /^max-age=0$/i.test(a)) || pair.slice(eq + 1) === '') this.jar.delete(name);
      else this.jar.set(name, { value: pair.slice(eq + 1), path });
    }
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
  }

  login(password = ADMIN_PASSWORD, username = 'admin') {
    return this.post('/api/admin/login', { username, password });
  }

  /** A session-cookie check, the way the console asks after a login. */
  async me(): Promise<number> {
    const session = this.jar.get('ceping_session');
    const res = await fetch(`${this.baseUrl}/api/admin/me`, { headers: session ? { Cookie: `ceping_session=${session.value}` } : {} });
    await res.arrayBuffer();
    return res.status;
  }
}

interface FloodResult {
  status: number;
  code: string;
  retryAfter: string | null;
  /** Since the flood began. */
  ms: number;
}

/**
 * One person with a script: `count` parallel wrong logins for `username`, no cookie, from another
 * process on the same address (as the attacker's machine: its work is not on the server's event
 * loop). Resolves once the requests are on their way.
 */
async function floodFromAnotherProcess(url: string, username: string, count: number) {
  const script = `
    const [url, username, count] = process.argv.slice(1);
    console.log('go');
    const started = performance.now();
    Promise.all(Array.from({ length: Number(count) }, async (_, i) => {
      const res = await fetch(url + '/api/admin/login', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Origin: url },
        body: JSON.stringify({ username, password: 'wrong-' + i }),
      });
      const body = await res.json();
      return { status: res.status, code: body.error.code, retryAfter: res.headers.get('retry-after'), ms: performance.now() - started };
    })).then((results) => console.log(JSON.stringify({ results, ms: performance.now() - started })));`;
  const child = spawn(process.execPath, ['-e', script, url, username, String(count)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  let finished = false;
  const done = new Promise<{ results: FloodResult[]; ms: number }>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => {
      finished = true;
      const last = out.trim().split('\n').at(-1) ?? '';
      if (code === 0 && last.startsWith('{')) resolve(JSON.parse(last));
      else reject(new Error(`flood process exited ${code}: ${out}`));
    });
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.startsWith('go\n')) resolve();
    });
    done.catch(reject);
  });
  return { done, finished: () => finished };
}

/** What a phone fetches to show the voter page: the HTML and the scripts it names. Returns ms. */
async function loadVoterPage(baseUrl: string): Promise<{ ms: number; assets: string[] }> {
  const phone = new ApiClient(baseUrl, null);
  const started = performance.now();
  const page = await phone.get<string>('/vote');
  expect(page.status).toBe(200);
  const assets = [...page.body.matchAll(/(?:src|href)="(\/assets\/[^"]+\.js)"/g)].map((m) => m[1]!);
  const scripts = await Promise.all(assets.map((path) => phone.get<string>(path)));
  for (const [i, res] of scripts.entries()) {
    expect(res.status, assets[i]).toBe(200);
    expect(res.body.length, assets[i]).toBeGreaterThan(0);
  }
  return { ms: performance.now() - started, assets };
}

/** The server of the device-cookie and hash-queue tests (the flood has one of its own). */
let server: TestServer;
/** Both have logged in as the admin before: each holds its own device cookie. */
let adminBrowser: Browser;
let secondBrowser: Browser;

beforeAll(async () => {
  server = await startServer();
  adminBrowser = new Browser(server.url);
  secondBrowser = new Browser(server.url);
  for (const browser of [adminBrowser, secondBrowser]) {
    expect((await browser.login()).status).toBe(200);
    expect(browser.jar.has('ceping_device')).toBe(true);
    expect((await browser.post('/api/admin/logout', {})).status).toBe(200);
    expect(browser.jar.has('ceping_session')).toBe(false);
  }
});
afterAll(() => server.close());

describe('a login flood from strangers', () => {
  // On a server of its own, so that a retry starts afresh: the machine is shared (two cores, other
  // test files and browsers), and a spike of someone else's load is not the server's doing.
  it('leaves the voter page fast, hashes only the strangers’ budget, and lets the admin’s browser in', { retry: 2, timeout: 180_000 }, async () => {
    const s = await startServer({ withClient: true });
    try {
      // The admin's browser has logged in before: it holds a device cookie.
      const browser = new Browser(s.url);
      expect((await browser.login()).status).toBe(200);
      expect((await browser.post('/api/admin/logout', {})).status).toBe(200);
      expect(browser.jar.has('ceping_device')).toBe(true);

      const floodSize = 200;
      // A server in use, not one just started: phones have opened the voter page and requests of
      // every kind have been answered (here: logins refused as malformed, which hash nothing).
      for (let i = 0; i < 10; i++) {
        const malformed = await Promise.all(Array.from({ length: 20 }, () => new ApiClient(s.url).post('/api/admin/login', { username: 'admin' })));
        expect(malformed.every((r) => r.status === 400)).toBe(true);
        await loadVoterPage(s.url);
      }
      const { ms: quiet, assets } = await loadVoterPage(s.url);
      expect(assets.length).toBeGreaterThan(0);
      // What one password check costs on this machine, seen from outside: one wrong login.
      const checkStarted = performance.now();
      expect((await freshLogin(s.url, { username: 'someone', password: 'wrong' })).status).toBe(401);
      const oneCheckMs = performance.now() - checkStarted;

      const flood = await floodFromAnotherProcess(s.url, 'admin', floodSize);

      // Meanwhile phones open the voter page, every 100 ms while the flood lasts.
      const loads: number[] = [];
      while (!flood.finished() && loads.length < 100) {
        const { ms } = await loadVoterPage(s.url);
        if (!flood.finished()) loads.push(ms);
        await new Promise((r) => setTimeout(r, 100));
      }
      const { results, ms: floodMs } = await flood.done;

      const refused = results.filter((r) => r.status === 429);
      const hashed = results.filter((r) => r.status === 401);
      console.log(
        `login flood: ${floodSize} wrong logins in ${Math.round(floodMs)} ms; ${refused.length} × 429 (last after ${Math.round(Math.max(...refused.map((r) => r.ms)))} ms), ` +
          `${hashed.length} × 401 (hashed); one password check ${Math.round(oneCheckMs)} ms; voter page ${Math.round(quiet)} ms quiet, ${loads.length} loads during the flood, slowest ${Math.round(Math.max(...loads))} ms [${loads.map(Math.round).join(' ')}]`,
      );
      expect(loads.length, 'the voter page was loaded while the flood was still running').toBeGreaterThan(0);
      for (const ms of loads) expect(ms).toBeLessThan(1000);
      // Only the strangers' budget ran the KDF (401); every other attempt was refused at once.
      expect(hashed.length).toBe(LOGIN_LIMITS.strangerPerUsername.failures);
      expect(refused.length).toBe(floodSize - hashed.length);
      for (const r of refused) {
        expect(r.code).toBe('too_many_attempts');
        expect(Number(r.retryAfter)).toBeGreaterThanOrEqual(1);
      }
      expect(Math.max(...refused.map((r) => r.ms))).toBeLessThan(5000);
      // The flood lasted a few password checks, not 200 of them (at most 2 at once: 100 × or more).
      expect(floodMs).toBeLessThan(10 * oneCheckMs + 2000);

      // Right after: the admin's browser logs in; a stranger, even with the right password, waits.
      const loginStarted = performance.now();
      const admin = await browser.login();
      const adminMs = performance.now() - loginStarted;
      expect(admin.status).toBe(200);
      expect(admin.body.user.username).toBe('admin');
      expect(await browser.me()).toBe(200);
      const stranger = await freshLogin(s.url, { username: 'admin', password: ADMIN_PASSWORD });
      expect(stranger.status).toBe(429);
      expect(errorOf(stranger).code).toBe('too_many_attempts');
      expect(Number(stranger.headers.get('retry-after'))).toBeGreaterThan(60);
      console.log(`login flood: the admin's browser logged in ${Math.round(adminMs)} ms after it; a stranger got ${stranger.status}`);

      // A forged device cookie, or a genuine one for another user, is a stranger's: refused too.
      const device = browser.jar.get('ceping_device')!;
      const [user, nonce, mac] = device.value.split('.') as [string, string, string];
      const forged = new Browser(s.url);
      forged.jar.set('ceping_device', { ...device, value: `${user}.${nonce}.${mac[0] === 'A' ? 'B' : 'A'}${mac.slice(1)}` });
      expect((await forged.login()).status).toBe(429);
      const renamed = new Browser(s.url);
      renamed.jar.set('ceping_device', { ...device, value: `${Buffer.from('admin2').toString('base64url')}.${nonce}.${mac}` });
      expect((await renamed.login()).status).toBe(429);
      // A genuine device cookie, but an organiser's: as the admin, that browser is a stranger.
      const created = await browser.post('/api/admin/users', { username: 'zuzhi', password: 'organiser-password', role: 'organiser' });
      expect(created.status).toBe(201);
      const organiser = new Browser(s.url);
      expect((await organiser.login('organiser-password', 'zuzhi')).status).toBe(200);
      expect(organiser.jar.has('ceping_device')).toBe(true);
      expect((await organiser.login()).status).toBe(429);
    } finally {
      await s.close();
    }
  });
});

describe('a device cookie', () => {
  it('is HttpOnly, SameSite=Strict, sent to the login only, kept a year, and signed with a key kept in meta, never logged', async () => {
    const fresh = await fetch(`${server.url}/api/admin/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: server.url, Cookie: `ceping_device=${adminBrowser.jar.get('ceping_device')!.value}` },
      body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
    });
    expect(fresh.status).toBe(200);
    const lines = fresh.headers.getSetCookie();
    expect(lines[0]).toMatch(/^ceping_session=/);
    const device = lines.find((l) => l.startsWith('ceping_device='))!;
    expect(device).toMatch(/HttpOnly/);
    expect(device).toMatch(/SameSite=Strict/);
    expect(device).toMatch(/Path=\/api\/admin\/login(;|$)/);
    expect(device).toMatch(new RegExp(`Max-Age=${LOGIN_LIMITS.deviceCookieMaxAgeSeconds}(;|$)`));
    expect(device).not.toMatch(/Secure/);
    expect(device.split(';')[0]!.split('=')[1]!.split('.')).toHaveLength(3);

    const sqlite = new Database(server.dbFile);
    const row = sqlite.prepare(`SELECT value FROM meta WHERE key = 'device_cookie_hmac_key'`).get() as { value: string } | undefined;
    sqlite.close();
    expect(Buffer.from(row!.value, 'base64url').length).toBeGreaterThanOrEqual(32);
    const logged = server.logs.join('\n');
    expect(logged).not.toContain(row!.value);
    expect(logged).not.toContain(adminBrowser.jar.get('ceping_device')!.value);
  });

  it('that fails too often is locked out alone, even with concurrent guesses', async () => {
    const guesses = await Promise.all(Array.from({ length: 20 }, (_, i) => secondBrowser.login(`wrong-${i}`)));
    const statuses = guesses.map((g) => g.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(LOGIN_LIMITS.perDevice.failures);
    expect(statuses.filter((s) => s === 429)).toHaveLength(20 - LOGIN_LIMITS.perDevice.failures);
    // That browser now waits, even with the right password; the admin's other browser does not.
    expect((await secondBrowser.login()).status).toBe(429);
    expect((await adminBrowser.login()).status).toBe(200);
  });

  it('is Secure when the app runs behind https', async () => {
    const PUBLIC = 'https://ceping.example.org';
    const behindProxy = await startServer({ publicOrigin: PUBLIC });
    try {
      const res = await new Browser(behindProxy.url, PUBLIC).login();
      expect(res.status).toBe(200);
      const device = res.headers.getSetCookie().find((l) => l.startsWith('ceping_device='));
      expect(device).toMatch(/;\s*Secure/i);
    } finally {
      await behindProxy.close();
    }
  });
});

describe('the hash queue', () => {
  it('refuses at once past its bound (503 busy), while a browser with its device cookie goes first', async () => {
    // Different usernames, so no per-username budget stops them: only the queue does.
    const n = LOGIN_LIMITS.kdfConcurrency + LOGIN_LIMITS.kdfQueue + 6;
    const started = performance.now();
    const strangers = Array.from({ length: n }, async (_, i) => {
      const res = await freshLogin(server.url, { username: `guess-${i}`, password: 'wrong' });
      return { ...res, ms: performance.now() - started };
    });
    await new Promise((r) => setTimeout(r, 50));
    const admin = adminBrowser.login().then((res) => ({ ...res, ms: performance.now() - started }));
    const results = await Promise.all(strangers);
    const busy = results.filter((r) => r.status === 503);
    const hashed = results.filter((r) => r.status === 401);
    expect(busy).toHaveLength(6);
    expect(hashed).toHaveLength(n - 6);
    for (const r of busy) {
      expect(errorOf(r).code).toBe('busy');
      expect(r.headers.get('retry-after')).toBe(String(LOGIN_LIMITS.busyRetryAfterSeconds));
      expect(r.ms).toBeLessThan(Math.min(...hashed.map((h) => h.ms)));
    }
    const { status, ms } = await admin;
    expect(status).toBe(200);
    // It waited for the hashes running, not for the queue of strangers before it.
    expect(ms).toBeLessThan(Math.max(...hashed.map((h) => h.ms)));
  });
});

/** The databases the unit tests opened: closed at the end. */
const opened: Db[] = [];
afterAll(async () => {
  for (const db of opened.splice(0)) await db.$engine.close();
});

/** The throttle's windows in this process, or in a real SQLite file (shared by every app server on it). */
const STORES: [string, () => Promise<Windows>][] = [
  ['in memory', async () => memoryWindows()],
  [
    'in the database',
    async () => {
      const db = await openDatabase({ dbFile: join(mkdtempSync(join(tmpdir(), 'ceping-throttle-')), 'ceping.sqlite') });
      opened.push(db);
      return databaseWindows(db, 'login');
    },
  ],
];

describe.each(STORES)('the login throttle (unit), windows %s', (_, windows) => {
  const budgets = (failures: number, throttleKeys = 1000): LoginBudgets => ({
    strangerPerUsername: { failures, windowMs: 60_000 },
    strangerPerAddress: { failures: 100, windowMs: 60_000 },
    perDevice: { failures, windowMs: 60_000 },
    throttleKeys,
  });

  it('lets only one of two concurrent attempts through a budget of one', async () => {
    const throttle = new LoginThrottle(budgets(1), Date.now, await windows());
    const attempt = async () => {
      const r = await throttle.reserve({ username: 'admin', address: '10.0.0.1' });
      await new Promise((done) => setTimeout(done, 10)); // the hash
      return r.ok;
    };
    expect((await Promise.all([attempt(), attempt()])).filter(Boolean)).toHaveLength(1);
    // The failed check released nothing: still refused.
    expect((await throttle.reserve({ username: 'ADMIN', address: '10.0.0.2' })).ok).toBe(false);
  });

  it('clears on a success, gives back an attempt not tried, and opens again after the window', async () => {
    let now = 0;
    const throttle = new LoginThrottle(budgets(1), () => now, await windows());
    const first = await throttle.reserve({ username: 'admin', address: 'a' });
    if (!first.ok) throw new Error('refused');
    await first.succeed();
    const second = await throttle.reserve({ username: 'admin', address: 'a' });
    if (!second.ok) throw new Error('refused');
    await second.release();
    expect((await throttle.reserve({ username: 'admin', address: 'a' })).ok).toBe(true);
    const refused = await throttle.reserve({ username: 'admin', address: 'a' });
    expect(refused).toEqual({ ok: false, retryAfterMs: 60_000 });
    now = 59_999;
    expect((await throttle.reserve({ username: 'admin', address: 'a' })).ok).toBe(false);
    now = 60_000;
    expect((await throttle.reserve({ username: 'admin', address: 'a' })).ok).toBe(true);
  });

  it('counts a device cookie apart from strangers and from other devices', async () => {
    const throttle = new LoginThrottle(budgets(1), Date.now, await windows());
    expect((await throttle.reserve({ username: 'admin', address: 'hall' })).ok).toBe(true);
    expect((await throttle.reserve({ username: 'admin', address: 'hall' })).ok).toBe(false);
    expect((await throttle.reserve({ username: 'admin', address: 'hall', device: 'n1' })).ok).toBe(true);
    expect((await throttle.reserve({ username: 'admin', address: 'hall', device: 'n1' })).ok).toBe(false);
    expect((await throttle.reserve({ username: 'admin', address: 'hall', device: 'n2' })).ok).toBe(true);
  });

  it('refuses strangers, not device cookies, once its table is full of live windows', async () => {
    const throttle = new LoginThrottle(budgets(5, 10), Date.now, await windows());
    for (let i = 0; i < 5; i++) expect((await throttle.reserve({ username: `u${i}`, address: `a${i}` })).ok).toBe(true);
    expect((await throttle.reserve({ username: 'u9', address: 'a9' })).ok).toBe(false);
    expect((await throttle.reserve({ username: 'u0', address: 'a0' })).ok).toBe(true);
    expect((await throttle.reserve({ username: 'admin', address: 'a9', device: 'n1' })).ok).toBe(true);
  });
});

describe('the KDF gate (unit)', () => {
  it('runs at most its concurrency, queues up to its bound, refuses the rest at once, and serves the trusted lane first', async () => {
    const gate = new KdfGate(2, 3);
    let running = 0;
    let most = 0;
    const order: string[] = [];
    const releases: (() => void)[] = [];
    const task = (name: string) => () =>
      new Promise<string>((done) => {
        running++;
        most = Math.max(most, running);
        order.push(name);
        releases.push(() => {
          running--;
          done(name);
        });
      });
    const runs = Array.from({ length: 8 }, (_, i) => gate.run('stranger', task(`s${i}`)).catch((err: unknown) => (err instanceof KdfBusy ? 'busy' : 'error')));
    const trusted = gate.run('trusted', task('t'));
    expect(await Promise.all(runs.slice(5))).toEqual(['busy', 'busy', 'busy']);
    let settled = false;
    void Promise.all([...runs, trusted]).then(() => (settled = true));
    while (!settled) {
      await new Promise((r) => setTimeout(r, 1));
      releases.shift()?.();
    }
    expect(await trusted).toBe('t');
    expect(await Promise.all(runs.slice(0, 5))).toEqual(['s0', 's1', 's2', 's3', 's4']);
    expect(most).toBe(2);
    expect(order).toEqual(['s0', 's1', 't', 's2', 's3', 's4']);
  });
});
