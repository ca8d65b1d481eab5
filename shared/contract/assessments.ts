import * as z from 'zod/mini';
import { SubjectInput, type ImportPreview, type ImportProblem, type SubjectField } from '../api';
import { SITTING_STATUSES } from '../forms';
import type { SittingFlag } from '../sitting';
import type { Same } from './equal';
import { SubjectSchema } from './subjects';

/** Response schemas of /api/admin/assessments: assessments, their subjects and sittings, subject imports. */

export const AssessmentSchema = z.object({
  id: z.number(),
  name: z.string(),
  year: z.number(),
  createdAt: z.number(),
  /** The published grading run; set once, then the assessment is frozen. */
  publishedRunId: z.nullable(z.number()),
});

const SITTING_FLAGS = ['ballots_exceed_slips', 'ballots_differ_from_used', 'low_turnout'] as const;

/** A sitting as an assessment lists it. */
export const AssessmentSittingSchema = z.object({
  id: z.number(),
  name: z.string(),
  status: z.enum(SITTING_STATUSES),
  k: z.number(),
  /** Empty until the sitting closes. */
  flags: z.array(z.enum(SITTING_FLAGS)),
});

export const AssessmentsResponse = z.object({ assessments: z.array(AssessmentSchema) });

export const AssessmentDetailResponse = z.object({
  assessment: AssessmentSchema,
  subjects: z.array(SubjectSchema),
  sittings: z.array(AssessmentSittingSchema),
});

export const SubjectsResponse = z.object({ subjects: z.array(SubjectSchema) });

export const AssessmentSittingsResponse = z.object({ sittings: z.array(AssessmentSittingSchema) });

const SUBJECT_FIELDS = ['key', 'kind', 'name', 'title', 'category', 'type', 'teamKey', 'role'] as const;
const IMPORT_REASONS = ['empty_file', 'missing_column', 'missing', 'bad_kind', 'bad_role', 'duplicate_key', 'key_exists', 'unknown_team', 'too_long'] as const;

const ImportProblemSchema = z.object({
  row: z.number(),
  field: z.optional(z.enum(SUBJECT_FIELDS)),
  reason: z.enum(IMPORT_REASONS),
  value: z.optional(z.string()),
  otherRow: z.optional(z.number()),
});

/** What an upload would create and every bad row (the first 500); nothing is saved. */
export const SubjectImportPreviewSchema = z.object({
  total: z.number(),
  subjects: z.array(SubjectInput),
  problems: z.array(ImportProblemSchema),
  /** Header as written in the file → the field it was read as. */
  columns: z.record(z.string(), z.enum(SUBJECT_FIELDS)),
});

// The domain types are written by hand; these fail to compile when a schema drifts from them.
const _flag: Same<(typeof SITTING_FLAGS)[number], SittingFlag> = true;
const _field: Same<(typeof SUBJECT_FIELDS)[number], SubjectField> = true;
const _problem: Same<z.output<typeof ImportProblemSchema>, ImportProblem> = true;
const _preview: Same<z.output<typeof SubjectImportPreviewSchema>, ImportPreview> = true;
void [_flag, _field, _problem, _preview];
