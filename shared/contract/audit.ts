import * as z from 'zod/mini';

/** The audit log page: entries newest first, and whether the whole chain verifies. */
export const AuditEntrySchema = z.object({
  seq: z.number(),
  at: z.number(),
  actor: z.string(),
  action: z.string(),
  target: z.string(),
  detail: z.string(),
  prevHash: z.string(),
  hash: z.string(),
});

export const ChainProblemSchema = z.object({ seq: z.number(), problem: z.string(), missingHead: z.optional(z.string()) });

export const AuditPageResponse = z.object({ entries: z.array(AuditEntrySchema), total: z.number(), broken: z.nullable(ChainProblemSchema) });

