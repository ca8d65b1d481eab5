import * as z from 'zod/mini';

/** Pieces that many response schemas share. */

/** The audit log head as #<seq>:<sha-256 hex>: write it down, check it later with audit:verify --head. */
export const AuditHeadSchema = z.string().check(z.regex(/^#(0|[1-9][0-9]*):[0-9a-f]{64}$/));

export const CreatedId = z.object({ id: z.number() });

export const Ok = z.object({ ok: z.literal(true) });

export const ROLES = ['admin', 'organiser'] as const;
export const SessionUserSchema = z.object({ id: z.number(), username: z.string(), role: z.enum(ROLES) });
