import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as zod from 'zod';
import { AnswersSchema, AnswersShape, SubmitRequest } from '../../shared/api';
import { isSubmission } from '../../shared/submission-check';
import { startServer } from '../helpers/server';

/**
 * A submission is checked by hand-written code (shared/submission-check.ts: for speed at ingest,
 * and to keep zod off the voter's phone): it must accept exactly what the zod statement of the
 * contract accepts, and the API document must show that shape.
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

  it('as a whole submission, are accepted by the phone\'s check exactly when the contract\'s schema accepts them', () => {
    const base32 = fc.stringMatching(/^[a-z2-7]{26}$/);
    // Tokens as people copy them (any case, spaces and hyphens), some padded past the 200-character limit.
    const typed = fc.tuple(base32, fc.integer({ min: 0, max: 200 })).map(([t, pad]) => `${' '.repeat(pad)}${t.toUpperCase().replace(/(.{4})/g, '$1-')}`);
    const token = fc.oneof(base32, typed, fc.stringMatching(/^[A-Za-z2-7 -]{20,34}$/), fc.string({ maxLength: 210 }), fc.integer());
    // UUIDs of every version and variant nibble, valid or not, in either case.
    const hex = (n: number) => fc.stringMatching(new RegExp(`^[0-9a-fA-F]{${n}}$`));
    const anyUuid = fc.tuple(hex(8), hex(4), hex(4), hex(4), hex(12)).map((parts) => parts.join('-'));
    const uuid = fc.oneof(fc.uuid(), anyUuid, fc.constantFrom('00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff', 'FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF'), fc.string());
    const submission = fc.record({ token, submissionId: uuid, answers: fc.oneof(nearAnswers, fc.anything()) }, { requiredKeys: [] });
    fc.assert(
      fc.property(fc.oneof(submission, fc.anything()), (value) => {
        expect(isSubmission(value)).toBe(SubmitRequest.safeParse(value).success);
      }),
      { numRuns: 5000 },
    );
    // And a phone's real submission passes both.
    const real = { token: 'abcdefghijklmnopqrstuvwxyz', submissionId: crypto.randomUUID(), answers: { cadre: { '12': { overall: 'competent' } } } };
    expect(isSubmission(real) && SubmitRequest.safeParse(real).success).toBe(true);
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
