import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as zod from 'zod';
import { AnswersSchema, AnswersShape } from '../../shared/api';
import { startServer } from '../helpers/server';

/**
 * The submission's answers are checked by a hand-written loop (shared/api.ts, for speed at
 * ingest): it must accept exactly what the zod statement of their shape accepts, and the API
 * document must show that shape.
 */
const name = fc.string({ minLength: 0, maxLength: 44 });
const nearAnswers = fc.dictionary(name, fc.oneof(fc.dictionary(name, fc.oneof(fc.dictionary(name, fc.oneof(name, fc.integer(), fc.constant(null))), fc.array(name), name)), fc.constant(null), fc.array(name)));

describe('the answers of a submission', () => {
  it('are accepted by the fast check exactly when the zod shape accepts them', () => {
    fc.assert(
      fc.property(fc.oneof(nearAnswers, fc.jsonValue(), fc.anything()), (value) => {
        expect(AnswersSchema.safeParse(value).success).toBe(AnswersShape.safeParse(value).success);
      }),
      { numRuns: 3000 },
    );
    // And a real ballot passes both.
    const ballot = { cadre: { '12': { overall: 'competent' } }, political: { '12': { loyalty: 'good', n_discipline: 'no' } } };
    expect(AnswersSchema.safeParse(ballot).success).toBe(true);
  });

  it('are documented with their whole shape in the API document', async () => {
    const server = await startServer();
    try {
      const doc = (await (await fetch(`${server.url}/api/openapi.json`)).json()) as { paths: Record<string, { post: { requestBody: { content: Record<string, { schema: { properties: { answers: unknown } } }> } } }> };
      const documented = doc.paths['/api/voter/submit']!.post.requestBody.content['application/json']!.schema.properties.answers;
      const { $schema: _, ...shape } = zod.toJSONSchema(AnswersShape as never) as Record<string, unknown>;
      expect(documented).toEqual(shape);
    } finally {
      await server.close();
    }
  });
});
