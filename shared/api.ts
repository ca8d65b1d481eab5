import * as z from 'zod/mini';
import { FORM_KINDS } from './forms';
import { normaliseToken } from './token';
import { isAnswersShape } from './submission-check';

/**
 * Request schemas of the API contract (PRODUCT.md). The server validates with them, the
 * OpenAPI document is generated from them, and the voter's phone checks a submission with
 * them before queueing it. zod/mini keeps them light enough for the voter page.
 */

/** AnswersShape as JSON Schema, below its top level (what zod writes for it: the test compares). */
const NAME_DOCUMENT = { type: 'string', maxLength: 40 } as const;
const ANSWERS_DOCUMENT = {
  type: 'object',
  propertyNames: NAME_DOCUMENT,
  additionalProperties: { type: 'object', propertyNames: NAME_DOCUMENT, additionalProperties: NAME_DOCUMENT },
} as const;

const text = (max: number) => z.string().check(z.trim(), z.minLength(1), z.maxLength(max));

/** A slip token: 128 random bits in base32 (26 characters), normalised by `normaliseToken`. */
export const TokenSchema = z.string().check(z.maxLength(200), z.overwrite(normaliseToken), z.regex(/^[a-z2-7]{26}$/));

export const BallotRequest = z.object({ token: TokenSchema });

const Name = z.string().check(z.maxLength(40));

/** The answers' shape, stated in zod: form → subject → question → option value, every name and value at most 40 characters. */
export const AnswersShape = z.record(Name, z.record(Name, z.record(Name, Name)));

/**
 * The answers of a submission. A 100-cadre plenary ballot has ~1,800 names and values: zod
 * parsing each entry took 17% of the server's CPU at ingest, so the nested levels are checked by
 * `isAnswersShape` (shared/submission-check.ts), and the schema's document is `AnswersShape`'s
 * (tests/server/submission-check.test.ts holds the two to the same answers on every input it
 * tries, and the document to AnswersShape's). The type is AnswersShape's: what the check lets through.
 */
export const AnswersSchema = z
  .record(Name, z.unknown())
  .check(z.refine(isAnswersShape, { message: 'answers: form → subject → question → option, each at most 40 characters' }))
  .register(z.globalRegistry, { additionalProperties: ANSWERS_DOCUMENT }) as unknown as typeof AnswersShape;

export const SubmitRequest = z.object({
  token: TokenSchema,
  submissionId: z.uuid(),
  answers: AnswersSchema,
});

/** A paper ballot as an entry clerk types it: its slip's token and the answers, exactly as a phone submits them. */
export const PaperEntryRequest = z.object({ token: TokenSchema, answers: AnswersSchema });

export const LoginRequest = z.object({
  username: text(64),
  password: z.string().check(z.minLength(1), z.maxLength(256)),
});

export const CreateAssessmentRequest = z.object({
  name: text(200),
  year: z.int().check(z.gte(1949), z.lte(2200)),
});

export const SubjectInput = z.object({
  key: text(64),
  kind: z.enum(['team', 'cadre']),
  name: text(100),
  title: z.optional(z.string().check(z.maxLength(200))),
  category: z.optional(z.string().check(z.maxLength(100))),
  type: z.optional(z.string().check(z.maxLength(100))),
  teamKey: z.optional(z.string().check(z.maxLength(64))),
  role: z.optional(z.enum(['principal', 'deputy'])),
});
export type SubjectInput = z.infer<typeof SubjectInput>;

export const CreateSubjectsRequest = z.array(SubjectInput).check(z.minLength(1), z.maxLength(5000));

export const FormSettingsSchema = z.object({
  kind: z.enum(FORM_KINDS),
  maxTopShare: z.optional(z.number().check(z.gt(0), z.lte(1))),
  dimensions: z.optional(z.boolean()),
  requireAll: z.optional(z.boolean()),
});

export const VoterGroupInput = z.object({
  name: text(40),
  weight: z.number().check(z.gte(0), z.lte(1000)),
});

export const CreateSittingRequest = z.object({
  name: text(200),
  forms: z.array(z.union([z.enum(FORM_KINDS), FormSettingsSchema])).check(z.minLength(1), z.maxLength(3)),
  subjectKeys: z.array(text(64)).check(z.minLength(1), z.maxLength(2000)),
  voterGroups: z.array(VoterGroupInput).check(z.minLength(1), z.maxLength(10)),
  /** Smallest group shown in breakdowns (k); locked when the sitting opens. */
  k: z.optional(z.int().check(z.gte(2), z.lte(100))),
  /** Share of issued slips below which the sitting is flagged at close (default 2/3). */
  minTurnout: z.optional(z.number().check(z.gte(0), z.lte(1))),
});
export type CreateSittingRequest = z.infer<typeof CreateSittingRequest>;

export const IssueTokensRequest = z.object({
  voterGroup: text(40),
  count: z.int().check(z.gte(1), z.lte(2000)),
  /** Test slips for a rehearsal: marked on paper and screen, counted apart. */
  dryRun: z.optional(z.boolean()),
});

export const IdParam = z.object({ id: z.string().check(z.regex(/^[1-9][0-9]{0,9}$/)) });

export const CreateUserRequest = z.object({
  username: z.string().check(z.trim(), z.minLength(2), z.maxLength(64), z.regex(/^[\w.\-@]+$/)),
  password: z.string().check(z.minLength(10), z.maxLength(256)),
  role: z.enum(['admin', 'organiser']),
});

export const AssignOrganiserRequest = z.object({ userId: z.int().check(z.gte(1)) });

// ---- Organiser and admin console (issue 4) ----

/** A subject's editable fields (all optional); the key may change while it stays unique. */
/** An edit names at least one field, and only known ones: a misspelt field is an error, not a silent no-op. */
export const UpdateSubjectRequest = z.strictObject({
  key: z.optional(text(64)),
  kind: z.optional(z.enum(['team', 'cadre'])),
  name: z.optional(text(100)),
  title: z.optional(z.string().check(z.maxLength(200))),
  category: z.optional(z.nullable(z.string().check(z.maxLength(100)))),
  type: z.optional(z.nullable(z.string().check(z.maxLength(100)))),
  teamKey: z.optional(z.nullable(z.string().check(z.maxLength(64)))),
  role: z.optional(z.nullable(z.enum(['principal', 'deputy']))),
}).check(z.refine((edit) => Object.keys(edit).length > 0, 'nothing to change'));
export type UpdateSubjectRequest = z.infer<typeof UpdateSubjectRequest>;

export type SubjectField = 'key' | 'kind' | 'name' | 'title' | 'category' | 'type' | 'teamKey' | 'role';

/** One bad row of an imported subject list (row numbers as the spreadsheet shows them, header = 1). */
export interface ImportProblem {
  row: number;
  field?: SubjectField;
  reason: 'empty_file' | 'missing_column' | 'missing' | 'bad_kind' | 'bad_role' | 'duplicate_key' | 'key_exists' | 'unknown_team' | 'too_long';
  value?: string;
  /** For duplicate_key: the row where the key first appears. */
  otherRow?: number;
}

/** What an import would create, and every problem found; nothing is saved by a preview. */
export interface ImportPreview {
  total: number;
  subjects: SubjectInput[];
  problems: ImportProblem[];
  /** Header as written in the file → field it was read as. */
  columns: Record<string, SubjectField>;
}
