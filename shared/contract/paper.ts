import * as z from 'zod/mini';

/** A cell where two clerks' entries of one paper ballot differ: where, never what either entered. */
export const EntryDifferenceSchema = z.object({ form: z.string(), subject: z.string(), question: z.string() });

/**
 * What a paper entry did: stored until a different clerk enters the same ballot
 * (`awaiting_second`), cast because two clerks agreed (`cast`), or held for an admin because
 * they disagree (`conflict`, with the differing cells).
 */
export const PaperEntryResponse = z.object({
  status: z.enum(['awaiting_second', 'cast', 'conflict']),
  differences: z.optional(z.array(EntryDifferenceSchema)),
});

export const PaperResolveResponse = z.object({ status: z.literal('cast') });
