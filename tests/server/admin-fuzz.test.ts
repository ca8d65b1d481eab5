import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentedEndpoints } from '../helpers/contract';

const ENDPOINTS = (await documentedEndpoints()).filter((e) => e.path !== '/api/openapi.json');
import { ApiClient, setUpSitting } from '../helpers/api-client';
import { everyRow, fileBytes } from '../helpers/database-image';
import { startServer, type TestServer } from '../helpers/server';

/**
 * A property-based fuzz of every admin, public and voter endpoint (issue 9, acceptance 7):
 * random bodies, types, sizes, unicode, `__proto__`/`constructor` keys and wrong content types,
 * with and without the Origin a browser sends. No request may get a 5xx, and a refused request
 * (or any GET or HEAD) must leave every row of the database as it was, and on SQLite the file
 * byte-for-byte.
 */
let server: TestServer;
let admin: ApiClient;
let ids: { assessment: number; sitting: number; batch: number; subject: number };
let token: string;
let subjectId: string;

/** Endpoints that never end (an event stream) or only undo the session the fuzzer runs in. */
const SKIPPED = new Set(['get /api/admin/sittings/:id/turnout/stream', 'post /api/admin/logout', 'post /api/admin/demo-province']);
const TARGETS = ENDPOINTS.filter((e) => !SKIPPED.has(`${e.method} ${e.path}`));

const CONTENT_TYPES = ['application/json', 'application/json; charset=utf-8', 'text/plain', 'text/csv', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=xyz', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'application/octet-stream', ''];
const RESERVED = ['__proto__', 'constructor', 'prototype'];

/** JSON text with reserved keys as real own keys (JSON.stringify would drop a `__proto__` set by assignment). */
const reservedJson = fc
  .tuple(fc.constantFrom(...RESERVED), fc.jsonValue(), fc.constantFrom('', 'answers', 'name', 'forms'))
  .map(([key, value, outer]) => (outer ? `{"${outer}": {"${key}": ${JSON.stringify(value)}}, "token": "${'a'.repeat(26)}"}` : `{"${key}": ${JSON.stringify(value)}}`));

const body = fc.oneof(
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc.string({ unit: 'grapheme', maxLength: 300 }),
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.uint8Array({ maxLength: 2000 }).map((b) => Buffer.from(b).toString('latin1')),
  reservedJson,
  fc.record({ name: fc.string({ unit: 'grapheme' }), year: fc.oneof(fc.integer(), fc.string()), forms: fc.array(fc.jsonValue()), subjectKeys: fc.array(fc.string()), voterGroups: fc.array(fc.record({ name: fc.string(), weight: fc.double() })) }).map((v) => JSON.stringify(v)),
  fc.constant('x'.repeat(300_000)),
);

const id = () => fc.oneof(fc.constantFrom('real', 'real', 'real'), fc.constantFrom('0', '-1', 'abc', '99999999', '1e3', '%00', '%2e%2e', '１'));

function pathFor(path: string, choice: string): string {
  if (choice !== 'real') return path.replace(':id', choice);
  const real = path.includes('/assessments/') ? ids.assessment : path.includes('/batches/') ? ids.batch : path.includes('/subjects/') ? ids.subject : ids.sitting;
  return path.replace(':id', String(real));
}

/**
 * The database as it stands: on SQLite the file's bytes, which hold every row and more; on
 * PostgreSQL every row of every table.
 */
const image = async () => fileBytes(server) ?? (await everyRow(server));

/**
 * One request on its own connection (node:http, no keep-alive): a server that refuses an oversize
 * body early closes the socket, which must not be blamed on the next request.
 */
function send(method: string, path: string, headers: Record<string, string>, payload?: string): Promise<{ status: number; text: string }> {
  return new Promise((done, fail) => {
    let status: number | undefined;
    let text = '';
    const req = request(server.url + path, { method, headers, agent: false }, (res) => {
      status = res.statusCode!;
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => done({ status: status!, text }));
    });
    // The server may answer without reading a body it does not want, then reset the socket while
    // the rest of the body arrives: the answer it sent counts. A reset before any answer is a failure.
    req.on('error', (err) => {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'EPIPE' && code !== 'ECONNRESET') fail(err);
    });
    req.on('close', () => (status === undefined ? fail(new Error(`${method} ${path}: connection closed without an answer`)) : done({ status, text })));
    if (payload !== undefined) req.end(payload);
    else req.end();
  });
}

beforeAll(async () => {
  server = await startServer();
  admin = await new ApiClient(server.url).login();
  const s = await setUpSitting(admin, { cadres: 3, forms: ['cadre', 'political'] });
  const param = { id: String(s.sittingId) };
  const batch = await admin.call(admin.api.admin.sittings[':id'].tokens.$post({ param, json: { voterGroup: '委员', count: 6 } }));
  token = batch.body.tokens[0]!;
  await admin.call(admin.api.admin.sittings[':id'].open.$post({ param }));
  const ballot = await admin.call(admin.api.voter.ballot.$post({ json: { token } }));
  subjectId = String(ballot.body.forms[0]!.subjects[0]!.id);
  ids = { assessment: s.assessmentId, sitting: s.sittingId, batch: batch.body.batchId, subject: ballot.body.forms[0]!.subjects[0]!.id };
});

afterAll(() => server.close());

describe('fuzzing every endpoint', () => {
  it('refuses __proto__-style keys in answers as invalid_answers, naming them, and casts nothing', async () => {
    for (const answers of [`{"__proto__": {"x": "y"}}`, `{"cadre": {"__proto__": {"overall": "excellent"}}}`, `{"cadre": {"${subjectId}": {"__proto__": "excellent", "overall": "competent"}}}`, `{"cadre": {"constructor": {"overall": "excellent"}}}`]) {
      const res = await admin.request('POST', '/api/voter/submit', `{"token": "${token}", "submissionId": "${randomUUID()}", "answers": ${answers}}`, { 'Content-Type': 'application/json' });
      expect(res.status, answers).toBe(422);
      expect(res.body.error.code).toBe('invalid_answers');
      expect(JSON.stringify(res.body.error.details.problems)).toMatch(/__proto__|constructor/);
    }
    expect((await admin.call(admin.api.voter.ballot.$post({ json: { token } }))).status).toBe(200); // still unspent
  });

  it('never answers 5xx, and nothing refused (and no GET or HEAD) changes a byte of the database', { timeout: 240_000 }, async () => {
    let requests = 0;
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...TARGETS),
        id(),
        body,
        fc.constantFrom(...CONTENT_TYPES),
        fc.boolean(),
        fc.constantFrom('', '?preview', '?limit=abc', '?before=%ff', `?x=${'\u{1F600}'.repeat(50)}`),
        async (endpoint, idChoice, text, contentType, withOrigin, query) => {
          const path = pathFor(endpoint.path, idChoice) + query;
          const method = endpoint.method === 'get' ? (text.length % 5 === 0 ? 'HEAD' : 'GET') : 'POST';
          const headers: Record<string, string> = { Cookie: admin.cookie! };
          if (contentType) headers['Content-Type'] = contentType;
          if (withOrigin) headers.Origin = server.url;
          const before = await image();
          const res = await send(method, path, headers, method === 'POST' ? text : undefined);
          const answer = res.text;
          requests++;
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          expect(res.status, `${method} ${path} ${contentType} → ${answer.slice(0, 200)}`).toBeLessThan(500);
          if (res.status >= 400 && method !== 'HEAD') expect(typeof (JSON.parse(answer) as { error: { code: string } }).error.code).toBe('string');
          if (res.status >= 400 || method !== 'POST') {
            expect((await image()) === before, `${method} ${path} → ${res.status} changed the database`).toBe(true);
          }
        },
      ),
      { numRuns: 1500 },
    );
    expect(requests).toBe(1500);
    console.log(`fuzz: ${requests} requests, statuses ${JSON.stringify(Object.fromEntries([...statuses].sort((a, b) => a[0] - b[0])))}`);
  });
});
