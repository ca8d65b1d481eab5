import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BODY_LIMITS } from '../../server/limits';
import { ApiClient, setUpSitting } from '../helpers/api-client';
import { startServer, type TestServer } from '../helpers/server';

/**
 * The voter's request bodies are read straight from Node's stream (server/http/read-body.ts):
 * from outside, over raw HTTP, a body is accepted whole however it is split into chunks, with
 * or without a byte-order mark, and one over the limit is refused with 413 whether it says its
 * length or not, storing nothing.
 */
let server: TestServer;
let admin: ApiClient;
let sittingId: number;
let tokens: string[];

/** POSTs `chunks` one write at a time: chunked transfer unless `length` is declared. */
function post(path: string, chunks: Buffer[], length?: number): Promise<{ status: number; body: any }> {
  return new Promise((done, fail) => {
    const headers: Record<string, string> = { 'Content-Type': 'application/json' };
    if (length !== undefined) headers['Content-Length'] = String(length);
    const req = request(`${server.url}${path}`, { method: 'POST', headers, agent: false }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () => done({ status: res.statusCode!, body: JSON.parse(Buffer.concat(parts).toString() || 'null') }));
    });
    // The server may answer 413 and stop reading before the last chunk is written.
    req.on('error', (error: NodeJS.ErrnoException) => (error.code === 'EPIPE' || error.code === 'ECONNRESET' ? undefined : fail(error)));
    (async () => {
      for (const chunk of chunks) {
        if (!req.write(chunk)) await new Promise((r) => req.once('drain', r));
        await new Promise((r) => setImmediate(r));
      }
      req.end();
    })().catch(fail);
  });
}

/** A byte string cut into pieces of `size` bytes: multi-byte characters are cut mid-character. */
function pieces(bytes: Buffer, size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += size) out.push(bytes.subarray(at, at + size));
  return out;
}

async function ballots(): Promise<number> {
  const turnout = await admin.call(admin.api.admin.sittings[':id'].turnout.$get({ param: { id: String(sittingId) } }));
  return turnout.body.used;
}

beforeAll(async () => {
  server = await startServer();
  admin = await new ApiClient(server.url).login();
  ({ sittingId } = await setUpSitting(admin, { cadres: 30, forms: ['cadre'] }));
  const param = { id: String(sittingId) };
  tokens = (await admin.call(admin.api.admin.sittings[':id'].tokens.$post({ param, json: { voterGroup: '委员', count: 5 } }))).body.tokens;
  await admin.call(admin.api.admin.sittings[':id'].open.$post({ param }));
});
afterAll(() => server.close());

describe('a voter\'s request body', () => {
  it('is read whole however it is cut into chunks, a byte-order mark and split characters included', async () => {
    const definition = (await post('/api/voter/ballot', [Buffer.from(JSON.stringify({ token: tokens[0] }))])).body;
    const form = definition.forms[0];
    const answers = { [form.id]: Object.fromEntries(form.subjects.map((s: { id: number }) => [String(s.id), Object.fromEntries(form.questions.map((q: { id: string; options: { value: string }[] }) => [q.id, q.options[1]!.value]))])) };
    // An unknown field with Chinese text: its 3-byte characters are cut across chunks of 7 bytes.
    const body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify({ token: tokens[0], submissionId: randomUUID(), answers, 备注: '民主测评'.repeat(50) }))]);
    const cast = await post('/api/voter/submit', pieces(body, 7));
    expect(cast.status, JSON.stringify(cast.body)).toBe(201);
    expect(cast.body.receipt).toMatch(/^[A-Z0-9-]+$/i);
    expect(await ballots()).toBe(1);
  });

  it('over the limit is refused with 413, whether its length is declared or not, and nothing is stored', async () => {
    const huge = Buffer.from(JSON.stringify({ token: tokens[1], submissionId: randomUUID(), answers: {}, padding: 'x'.repeat(BODY_LIMITS.voterBytes) }));
    const declared = await post('/api/voter/submit', [huge], huge.length);
    expect(declared.status).toBe(413);
    expect(declared.body.error.code).toBe('body_too_large');
    const chunked = await post('/api/voter/submit', pieces(huge, 16 * 1024));
    expect(chunked.status).toBe(413);
    expect(chunked.body.error.code).toBe('body_too_large');
    // Just under the limit is read (and refused for what it says, not for its size).
    const under = Buffer.from(JSON.stringify({ token: tokens[1], padding: 'x'.repeat(BODY_LIMITS.voterBytes - 100) }));
    expect(under.length).toBeLessThanOrEqual(BODY_LIMITS.voterBytes);
    const read = await post('/api/voter/ballot', pieces(under, 16 * 1024));
    expect(read.status).toBe(200);
    expect(await ballots()).toBe(1);
    // The slip refused for size is still unspent.
    expect((await post('/api/voter/ballot', [Buffer.from(JSON.stringify({ token: tokens[1] }))])).status).toBe(200);
  });

  it('that is not JSON is a 400 bad_json', async () => {
    const res = await post('/api/voter/submit', pieces(Buffer.from('{"token": "民主'), 2));
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('bad_json');
  });
});
