import { normaliseToken } from './token';

/**
 * The submission's shape checked by hand, without zod: the server's check of every answer at
 * ingest (zod parsing each of a 100-cadre ballot's ~1,800 names took 17% of its CPU, 131 µs a
 * ballot against 13 µs here) and the voter phone's check before it queues a ballot (zod/mini
 * was ~7.5 KB of brotli on every phone's first visit). shared/api.ts states the same shapes in
 * zod for the API document; tests/server/submission-check.test.ts holds the two to the same
 * answer on every input it tries.
 */

const NAME_MAX = 40;
const TOKEN_INPUT_MAX = 200;
const TOKEN = /^[a-z2-7]{26}$/;
/** zod's `z.uuid()`: RFC 9562 (versions 1-8, variant 10xx), and the nil and max UUIDs. */
const UUID = /^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-8][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}|00000000-0000-0000-0000-000000000000|ffffffff-ffff-ffff-ffff-ffffffffffff)$/;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isName = (v: unknown): boolean => typeof v === 'string' && v.length <= NAME_MAX;

/** Answers: form → subject → question → option value, every name and value at most 40 characters. */
export function isAnswersShape(value: unknown): boolean {
  if (!isRecord(value)) return false;
  for (const form of Object.keys(value)) {
    const subjects = value[form];
    if (!isName(form) || !isRecord(subjects)) return false;
    for (const subject of Object.keys(subjects)) {
      const questions = subjects[subject];
      if (!isName(subject) || !isRecord(questions)) return false;
      for (const question of Object.keys(questions)) if (!isName(question) || !isName(questions[question])) return false;
    }
  }
  return true;
}

/** A slip token as typed or scanned: at most 200 characters, 26 base32 characters once normalised. */
export function isTokenInput(value: unknown): boolean {
  return typeof value === 'string' && value.length <= TOKEN_INPUT_MAX && TOKEN.test(normaliseToken(value));
}

/** What `SubmitRequest` (shared/api.ts) accepts: a token, a UUID submission id and answers of the right shape. */
export function isSubmission(value: unknown): boolean {
  return isRecord(value) && isTokenInput(value.token) && typeof value.submissionId === 'string' && UUID.test(value.submissionId) && isAnswersShape(value.answers);
}
