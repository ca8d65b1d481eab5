import { describe, expect, it } from 'vitest';
import { VOTER_ERROR_MESSAGES } from '../../shared/voter-errors';
import { startServer } from '../helpers/server';

interface Schema {
  $ref?: string;
  properties?: { error?: { properties?: { code?: { enum?: string[] } } } };
}
interface Doc {
  paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: Schema }> }> }>>;
  components: { schemas: Record<string, Schema> };
}

/** Every error code the API document declares for an operation. */
function codesOf(doc: Doc, path: string): string[] {
  const codes = new Set<string>();
  for (const operation of Object.values(doc.paths[path]!))
    for (const response of Object.values(operation.responses))
      for (const { schema } of Object.values(response.content ?? {})) {
        const resolved = schema.$ref ? doc.components.schemas[schema.$ref.split('/').pop()!]! : schema;
        for (const code of resolved.properties?.error?.properties?.code?.enum ?? []) codes.add(code);
      }
  return [...codes];
}

/**
 * The voter page carries the messages of the errors a phone can meet, not all of them (bytes on a
 * hall's Wi-Fi). Which those are is read from the served API document: a code added to a voter
 * operation without its message here fails, and so does a message no voter operation can return.
 */
describe('the voter page\'s error messages', () => {
  it('are exactly those of the codes the voter and public operations declare', async () => {
    const server = await startServer();
    try {
      const doc = (await (await fetch(`${server.url}/api/openapi.json`)).json()) as Doc;
      const phonePaths = Object.keys(doc.paths).filter((path) => /^\/api\/(voter|public)\//.test(path));
      expect(phonePaths).toEqual(expect.arrayContaining(['/api/voter/ballot', '/api/voter/submit', '/api/public/sittings/{id}/receipts']));
      // The phone calls these three; the other public paths (results, the turnout stream) are other pages'.
      const declared = new Set(['/api/voter/ballot', '/api/voter/submit', '/api/public/sittings/{id}/receipts'].flatMap((path) => codesOf(doc, path)));
      expect([...declared].sort()).toEqual(Object.keys(VOTER_ERROR_MESSAGES).sort());
    } finally {
      await server.close();
    }
  });
});
