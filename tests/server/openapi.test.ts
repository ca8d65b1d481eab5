import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app';
import { openSqlite } from '../../server/db/sqlite-engine';
import { ApiClient } from '../helpers/api-client';
import { startServer, type TestServer } from '../helpers/server';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

describe('the OpenAPI document', () => {
  it('describes every mounted /api route, with request schemas generated from the validators', async () => {
    const res = await new ApiClient(server.url).get('/api/openapi.json');
    expect(res.status).toBe(200);
    const doc = res.body;
    const app = createApp({ db: openSqlite(':memory:') });
    const mounted = new Set(
      app.routes
        .filter((r) => (r.method === 'GET' || r.method === 'POST') && r.path.startsWith('/api/') && !r.path.endsWith('*'))
        .map((r) => `${r.method.toLowerCase()} ${r.path.replace(/:(\w+)/g, '{$1}')}`),
    );
    const documented = new Set(Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m} ${path}`)));
    expect([...mounted].filter((r) => !documented.has(r))).toEqual([]);
    expect([...documented].filter((r) => !mounted.has(r))).toEqual([]);

    const submit = doc.paths['/api/voter/submit'].post;
    expect(submit.requestBody.content['application/json'].schema.required).toEqual(['token', 'submissionId', 'answers']);
    expect(submit.responses['409'].description).toContain('token_used');
    expect(doc.components.schemas.Error.properties.error.properties.code.enum).toContain('invalid_answers');
  });
});
