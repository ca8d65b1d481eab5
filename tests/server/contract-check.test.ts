import { describe, expect, it } from 'vitest';
import { contractProblem, documentedEndpoints, openApiDocument } from '../helpers/contract';

const json = (body: unknown, status: number) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
const receipt = 'r'.repeat(16);

/** The response check every test runs under must catch drift, or it proves nothing. */
describe('the response check against the OpenAPI document', () => {
  it('accepts what the document says and refuses a missing field, an extra field, a wrong type, an undocumented status or code', async () => {
    expect(await contractProblem('POST', '/api/voter/submit', json({ receipt }, 201))).toBeNull();
    expect(await contractProblem('POST', '/api/voter/submit', json({ receipt, duplicate: true }, 200))).toBeNull();
    expect(await contractProblem('POST', '/api/voter/submit', json({}, 201))).toMatch(/receipt/);
    expect(await contractProblem('POST', '/api/voter/submit', json({ receipt, ballotId: 7 }, 201))).toMatch(/ballotId/);
    expect(await contractProblem('POST', '/api/voter/submit', json({ receipt: 7 }, 201))).toMatch(/must be string/);
    expect(await contractProblem('POST', '/api/voter/submit', json({ receipt }, 202))).toMatch(/status 202 is not documented/);
    expect(await contractProblem('POST', '/api/voter/submit', json({ error: { code: 'token_used', message: '…' } }, 409))).toBeNull();
    expect(await contractProblem('POST', '/api/voter/submit', json({ error: { code: 'not_published', message: '…' } }, 409))).toMatch(/allowed values/);
    expect(await contractProblem('GET', '/api/admin/sittings/12/turnout', json({ error: { code: 'unauthenticated', message: '…' } }, 401))).toBeNull();
    expect(await contractProblem('GET', '/api/nowhere', json({ error: { code: 'not_found', message: '…' } }, 404))).toBeNull();
    expect(await contractProblem('GET', '/api/nowhere', json({ ok: true }, 200))).toMatch(/undocumented operation/);
  });

  it('documents, for every operation, each success answer with a schema or a media type, and each error with its codes', async () => {
    const doc = (await openApiDocument()) as unknown as { paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema?: { properties?: { error?: { properties?: { code?: { enum?: string[] } } } } } }> }> }>> };
    const endpoints = await documentedEndpoints();
    expect(endpoints.length).toBeGreaterThan(50);
    for (const { method, path } of endpoints) {
      const op = doc.paths[path.replace(/:(\w+)/g, '{$1}')]![method]!;
      const statuses = Object.keys(op.responses);
      // A GET that must be a POST (an audited export) answers only 405.
      expect(statuses.some((s) => Number(s) < 400 || s === '405'), `${method} ${path} has a success answer`).toBe(true);
      for (const status of statuses) {
        const content = op.responses[status]!.content ?? {};
        expect(Object.keys(content).length, `${method} ${path} ${status} names its media type`).toBeGreaterThan(0);
        if (Number(status) >= 400) expect(content['application/json']?.schema?.properties?.error?.properties?.code?.enum?.length, `${method} ${path} ${status} lists its codes`).toBeGreaterThan(0);
      }
    }
  });
});
