import * as z from 'zod/mini';

/**
 * Request schemas of the grading endpoints (GRADING.md §2-§5): component scores and facts per
 * subject, overrides, and the grading policy. Validated by the server, listed in OpenAPI.
 */
const score = z.number().check(z.gte(0), z.lte(100));
const rate = z.number().check(z.gte(0), z.lte(1));
const label = z.string().check(z.trim(), z.minLength(1), z.maxLength(200));

export const SANCTION_TYPES = ['warning', 'serious_warning', 'demerit', 'major_demerit', 'demotion', 'removal_from_party_post', 'dismissal', 'probation', 'expulsion'] as const;
export const POVERTY_RESULTS = ['good', 'fairly_good', 'average', 'poor'] as const;
export const GRADE_CODES = ['excellent', 'good', 'average', 'poor', 'competent', 'basically_competent', 'incompetent', 'undetermined'] as const;

export const SubjectFactsSchema = z.object({
  vetoItems: z.optional(z.array(label).check(z.maxLength(20))),
  sanctions: z.optional(z.array(z.enum(SANCTION_TYPES)).check(z.maxLength(10))),
  admonished: z.optional(z.boolean()),
  heldAccountable: z.optional(z.boolean()),
  summoned: z.optional(z.boolean()),
  bottomRankedInDevelopment: z.optional(z.boolean()),
  publiclyCriticised: z.optional(z.boolean()),
  membersDisciplined: z.optional(z.int().check(z.gte(0), z.lte(100))),
  otherSeriousProblems: z.optional(z.array(label).check(z.maxLength(20))),
  monthsInPost: z.optional(z.number().check(z.gte(0), z.lte(12))),
  leaveMonths: z.optional(z.number().check(z.gte(0), z.lte(12))),
  openCase: z.optional(z.boolean()),
});

/** What is entered or imported for one subject; the test scores come from closed sittings. */
export const SubjectInputsSchema = z.object({
  key: z.string().check(z.trim(), z.minLength(1), z.maxLength(64)),
  povertyCounty: z.optional(z.boolean()),
  povertyResult: z.optional(z.enum(POVERTY_RESULTS)),
  /** 平时考核: quarterly scores and other routine entries, averaged. */
  routine: z.optional(z.array(score).check(z.minLength(1), z.maxLength(12))),
  performance: z.optional(score),
  performanceIndicators: z.optional(z.array(z.object({ code: label, score, weight: z.number().check(z.gt(0), z.lte(100)) })).check(z.maxLength(30))),
  departmentEvaluations: z.optional(z.array(z.object({ evaluatorKey: label, score })).check(z.maxLength(200))),
  superior: z.optional(score),
  plenary: z.optional(score),
  /** A 民主测评 result held outside this system (paper ballots); ballots counted here take precedence. */
  democratic: z.optional(z.object({ score, excellentRate: rate, competentOrAboveRate: rate, incompetentRate: rate })),
  politicalQuality: z.optional(score),
  facts: z.optional(SubjectFactsSchema),
});
export type SubjectInputs = z.infer<typeof SubjectInputsSchema>;

/** A bad cell of an imported inputs file, and what a preview returns (server/services/import-inputs.ts). */
export interface InputImportProblem {
  /** 1-based row in the file, the header being row 1. */
  row: number;
  column?: string;
  reason: 'empty_file' | 'missing_key_column' | 'missing_key' | 'unknown_subject' | 'duplicate_key' | 'not_a_number' | 'out_of_range' | 'bad_choice' | 'invalid';
  value?: string;
}

export interface InputImportPreview {
  total: number;
  rows: SubjectInputs[];
  problems: InputImportProblem[];
}

export const SaveSubjectInputsRequest = z.array(SubjectInputsSchema).check(z.minLength(1), z.maxLength(5000));

export const OverrideRequest = z.object({
  subjectKey: z.string().check(z.minLength(1), z.maxLength(64)),
  grade: z.enum(GRADE_CODES),
  /** Required: an override without a written reason is refused. */
  reason: z.string().check(z.maxLength(2000)),
});

const weights = z.partialRecord(z.enum(['routine', 'performance', 'democratic', 'department', 'superior']), z.number().check(z.gte(0), z.lte(100)));

export const GradingPolicySchema = z.object({
  id: z.string().check(z.minLength(1), z.maxLength(64)),
  version: z.int().check(z.gte(1)),
  weights: z.object({ team: weights, cadre: weights }),
  bands: z.object({ excellent: score, middle: score, low: score }),
  quota: z.object({ defaultShare: rate, shareByPool: z.record(z.string().check(z.maxLength(100)), rate), maxShare: rate }),
  politicalQualityMin: score,
  povertyPerformance: z.partialRecord(z.enum(POVERTY_RESULTS), score),
  downgradeSteps: z.int().check(z.gte(0), z.lte(3)),
  holds: z.object({ minMonthsInPost: z.number().check(z.gte(0), z.lte(12)), maxLeaveMonths: z.number().check(z.gte(0), z.lte(12)), sanctions: z.array(z.enum(SANCTION_TYPES)) }),
  incompetentSanctions: z.array(z.enum(SANCTION_TYPES)),
  voteFlags: z.object({ incompetentRateAbove: rate, competentOrAboveRateBelow: rate }),
  reminderTalkBelow: score,
  discriminationMinSpread: score,
});

export const GradingRequest = z.object({
  /** Grade under this policy instead of the one in force (stored with the run). */
  policy: z.optional(GradingPolicySchema),
});
