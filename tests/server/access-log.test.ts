import { describe, expect, it } from 'vitest';
import { createAccessLog } from '../../server/http/access-log';

describe('the access log', () => {
  it('writes the lines of one turn of the event loop together, in order, and each line once', async () => {
    const writes: string[] = [];
    const log = createAccessLog((text) => writes.push(text));
    log('POST /api/voter/submit 201 3ms');
    log('POST /api/voter/submit 409 1ms');
    log('GET /vote 200 1ms');
    expect(writes).toEqual([]);
    await new Promise((r) => setImmediate(r));
    expect(writes).toEqual(['POST /api/voter/submit 201 3ms\nPOST /api/voter/submit 409 1ms\nGET /vote 200 1ms\n']);
    log('GET /sw.js 304 0ms');
    await new Promise((r) => setImmediate(r));
    expect(writes).toEqual([writes[0], 'GET /sw.js 304 0ms\n']);
  });
});
