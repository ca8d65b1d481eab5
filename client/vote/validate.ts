import { SubmitRequest } from '../../shared/api';
import type { Submission } from './api';

/** The contract's own schema (zod/mini), checked before a ballot enters the outbox. Loaded lazily: zod stays off the first paint. */
export function validSubmission(submission: Submission): boolean {
  return SubmitRequest.safeParse(submission).success;
}
