import * as z from 'zod/mini';
import { GRADE_CODES, GradingPolicySchema, SubjectInputsSchema, type InputImportPreview, type InputImportProblem } from '../grading-api';
import type { GradingPolicy } from '../grading/policy';
import type { GradingReport, GroupCounts, ReportGroup, ReportRow } from '../grading/report';
import type {
  Action,
  EvaluatorSpread,
  GradingResult,
  InputIssue,
  Override,
  PoolSummary,
  Reason,
  ScoreSheet,
  SubjectResult,
  VoteFlag,
} from '../grading/types';
import type { Same } from './equal';
import { GradeCountsSchema, YearChangeSchema } from './public';

/**
 * Response schemas of the grading endpoints (GRADING.md): inputs, runs with their results and
 * reasons, overrides, the report, publication and the policy.
 */

const SUBJECT_KINDS = ['team', 'cadre'] as const;
const CATEGORIES = ['city', 'department', 'institution', 'enterprise', 'county'] as const;
const SUBJECT_TYPES = [
  'city_1', 'city_2', 'city_3',
  'dept_comprehensive', 'dept_economic', 'dept_social', 'dept_other',
  'inst_university', 'inst_other',
  'ent_industry', 'ent_finance', 'ent_culture',
  'poverty_county', 'county',
] as const;
const CADRE_ROLES = ['principal', 'deputy'] as const;
const COMPONENT_KEYS = ['routine', 'performance', 'democratic', 'department', 'superior'] as const;
const RULE_IDS = ['scores', 'holds', 'forced', 'downgrades', 'bars', 'vote_flags', 'bands', 'quota', 'override'] as const;
const VOTE_FLAG_CODES = ['incompetent_rate_high', 'competent_or_above_rate_low'] as const;
const ACTION_CODES = ['commendation', 'promotion_priority', 'written_report', 'principal_not_promoted', 'admonition_talk', 'demotion', 'reminder_talk'] as const;
const INPUT_ISSUE_CODES = ['duplicate_key', 'no_component_scores', 'cadre_without_role'] as const;

const Grade = z.enum(GRADE_CODES);
const Kind = z.enum(SUBJECT_KINDS);

// ---- the result of a run ----

const ReasonSchema = z.object({ rule: z.enum(RULE_IDS), code: z.string(), zh: z.string(), en: z.string() });
const VoteFlagSchema = z.object({ code: z.enum(VOTE_FLAG_CODES), zh: z.string(), en: z.string(), rate: z.number() });
const ActionSchema = z.object({ code: z.enum(ACTION_CODES), zh: z.string(), en: z.string() });

const ScoreSheetSchema = z.object({
  components: z.partialRecord(z.enum(COMPONENT_KEYS), z.number()),
  /** Null when no component is present. */
  composite: z.nullable(z.number()),
});

const OverrideSchema = z.object({ grade: Grade, reason: z.string() });

export const SubjectResultSchema = z.object({
  key: z.string(),
  kind: Kind,
  name: z.string(),
  category: z.enum(CATEGORIES),
  type: z.enum(SUBJECT_TYPES),
  role: z.optional(z.enum(CADRE_ROLES)),
  teamKey: z.optional(z.string()),
  povertyCounty: z.boolean(),
  poolId: z.string(),
  scores: ScoreSheetSchema,
  provisionalGrade: Grade,
  proposedGrade: Grade,
  finalGrade: Grade,
  override: z.optional(OverrideSchema),
  reasons: z.array(ReasonSchema),
  voteFlags: z.array(VoteFlagSchema),
  actions: z.array(ActionSchema),
});

const PoolSummarySchema = z.object({ id: z.string(), size: z.number(), share: z.number(), quota: z.number(), excellent: z.number(), eligible: z.number() });

const EvaluatorSpreadSchema = z.object({ evaluatorKey: z.string(), rated: z.number(), min: z.number(), max: z.number(), spread: z.number(), flagged: z.boolean() });

const InputIssueSchema = z.object({ code: z.enum(INPUT_ISSUE_CODES), subjectKey: z.string() });

export const GradingResultSchema = z.object({
  assessmentId: z.string(),
  year: z.number(),
  policyId: z.string(),
  policyVersion: z.number(),
  subjects: z.array(SubjectResultSchema),
  pools: z.array(PoolSummarySchema),
  evaluators: z.array(EvaluatorSpreadSchema),
  issues: z.array(InputIssueSchema),
});

// ---- the report ----

const ReportGroupSchema = z.object({
  id: z.string(),
  zh: z.string(),
  en: z.string(),
  kind: Kind,
  category: z.optional(z.enum(CATEGORIES)),
  role: z.optional(z.enum(CADRE_ROLES)),
  povertyCounty: z.optional(z.boolean()),
});

const GroupCountsSchema = z.object({
  group: ReportGroupSchema,
  total: z.number(),
  /** By final grade, every grade of the kind present, zeros included. */
  counts: GradeCountsSchema,
  proposedCounts: GradeCountsSchema,
  excellentShare: z.number(),
  /** Only when the year before has a published result. */
  change: z.optional(YearChangeSchema),
});

const ReportRowSchema = z.object({
  key: z.string(),
  name: z.string(),
  kind: Kind,
  poolId: z.string(),
  composite: z.nullable(z.number()),
  proposedGrade: Grade,
  finalGrade: Grade,
  overridden: z.boolean(),
  overrideReason: z.optional(z.string()),
  reasonCodes: z.array(z.string()),
});

export const GradingReportSchema = z.object({
  assessmentId: z.string(),
  year: z.number(),
  policyId: z.string(),
  policyVersion: z.number(),
  groups: z.array(GroupCountsSchema),
  rows: z.array(ReportRowSchema),
});

// ---- answers ----

export const InputsResponse = z.object({ inputs: z.array(SubjectInputsSchema) });

export const InputsSavedResponse = z.object({ saved: z.number() });

const INPUT_IMPORT_REASONS = ['empty_file', 'missing_key_column', 'missing_key', 'unknown_subject', 'duplicate_key', 'not_a_number', 'out_of_range', 'bad_choice', 'invalid'] as const;

const InputImportProblemSchema = z.object({
  row: z.number(),
  column: z.optional(z.string()),
  reason: z.enum(INPUT_IMPORT_REASONS),
  value: z.optional(z.string()),
});

const InputImportPreviewSchema = z.object({ total: z.number(), rows: z.array(SubjectInputsSchema), problems: z.array(InputImportProblemSchema) });

/** An import answers what it saved; with ?preview, every row and every bad cell, nothing saved. */
export const InputImportResponse = z.union([z.object({ saved: z.number(), total: z.number() }), InputImportPreviewSchema]);

export const GradingRunResponse = z.object({
  runId: z.number(),
  policy: GradingPolicySchema,
  result: GradingResultSchema,
  report: GradingReportSchema,
  /** Subject keys whose override of the previous run was applied again, or no longer fit. */
  carriedOverrides: z.array(z.string()),
  droppedOverrides: z.array(z.string()),
});

export const CurrentGradingResponse = z.object({
  runId: z.number(),
  createdAt: z.number(),
  policy: GradingPolicySchema,
  result: GradingResultSchema,
  report: GradingReportSchema,
});

export const OverrideResponse = z.object({ runId: z.number(), subject: SubjectResultSchema });

export const PublishAssessmentResponse = z.object({ runId: z.number(), published: z.literal(true) });

export const PolicyResponse = z.object({ policy: GradingPolicySchema });

export const DemoProvinceResponse = z.object({ previousId: z.number(), currentId: z.number() });

// The domain types are written as interfaces; these fail to compile when a schema drifts from them.
const _reason: Same<z.output<typeof ReasonSchema>, Reason> = true;
const _voteFlag: Same<z.output<typeof VoteFlagSchema>, VoteFlag> = true;
const _action: Same<z.output<typeof ActionSchema>, Action> = true;
const _scoreSheet: Same<z.output<typeof ScoreSheetSchema>, ScoreSheet> = true;
const _override: Same<z.output<typeof OverrideSchema>, Override> = true;
const _subject: Same<z.output<typeof SubjectResultSchema>, SubjectResult> = true;
const _pool: Same<z.output<typeof PoolSummarySchema>, PoolSummary> = true;
const _evaluator: Same<z.output<typeof EvaluatorSpreadSchema>, EvaluatorSpread> = true;
const _issue: Same<z.output<typeof InputIssueSchema>, InputIssue> = true;
const _result: Same<z.output<typeof GradingResultSchema>, GradingResult> = true;
const _group: Same<z.output<typeof ReportGroupSchema>, ReportGroup> = true;
const _counts: Same<z.output<typeof GroupCountsSchema>, GroupCounts> = true;
const _row: Same<z.output<typeof ReportRowSchema>, ReportRow> = true;
const _report: Same<z.output<typeof GradingReportSchema>, GradingReport> = true;
const _policy: Same<z.output<typeof GradingPolicySchema>, GradingPolicy> = true;
const _importProblem: Same<z.output<typeof InputImportProblemSchema>, InputImportProblem> = true;
const _importPreview: Same<z.output<typeof InputImportPreviewSchema>, InputImportPreview> = true;
void [_reason, _voteFlag, _action, _scoreSheet, _override, _subject, _pool, _evaluator, _issue, _result, _group, _counts, _row, _report, _policy, _importProblem, _importPreview];
