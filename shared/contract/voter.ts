import * as z from 'zod/mini';
import { FORM_KINDS, SITTING_STATUSES } from '../forms';

/** Response schemas of the voter's endpoints (PRODUCT.md): what a phone receives. */

const Option = z.object({ value: z.string(), label: z.string(), labelEn: z.string() });

const Question = z.object({
  id: z.string(),
  text: z.string(),
  textEn: z.string(),
  kind: z.enum(['grade', 'yesno']),
  role: z.enum(['overall', 'dimension', 'positive', 'negative']),
  required: z.boolean(),
  options: z.array(Option),
});

export const BallotFormSchema = z.object({
  id: z.string(),
  kind: z.enum(FORM_KINDS),
  title: z.string(),
  titleEn: z.string(),
  maxTopShare: z.optional(z.number()),
  questions: z.array(Question),
  subjects: z.array(z.object({ id: z.number(), name: z.string(), title: z.string() })),
});

export const BallotDefinitionSchema = z.object({
  sitting: z.object({ id: z.number(), title: z.string(), status: z.enum(SITTING_STATUSES) }),
  voterGroup: z.string(),
  rehearsal: z.boolean(),
  forms: z.array(BallotFormSchema),
});

/** A receipt code; `duplicate` when the same submission was already stored (a retry). */
export const ReceiptResponse = z.object({ receipt: z.string(), duplicate: z.optional(z.literal(true)) });
