import * as z from 'zod/mini';
import { FORM_KINDS, SITTING_STATUSES, type BallotForm } from '../forms';
import type { FormResult, GroupBreakdown, GroupSummary, QuestionTally, SittingTally, SubjectResult, SubjectScores, Withholding } from '../scoring';
import type { GroupTurnout, Reconciliation, SittingFlag, SittingResults, Turnout } from '../sitting';
import { AuditHeadSchema, Ok } from './common';
import type { Same } from './equal';
import { BallotFormSchema } from './voter';

/** Response schemas of /api/admin/sittings and /api/admin/batches: what the console receives. */

const SITTING_FLAGS = ['ballots_exceed_slips', 'ballots_differ_from_used', 'low_turnout'] as const satisfies readonly SittingFlag[];
const SittingFlagSchema = z.enum(SITTING_FLAGS);
const Status = z.enum(SITTING_STATUSES);

export const SittingDetailResponse = z.object({
  id: z.number(),
  assessmentId: z.number(),
  name: z.string(),
  status: Status,
  k: z.number(),
  minTurnout: z.number(),
  /** Empty until the sitting closes. */
  flags: z.array(SittingFlagSchema),
  forms: z.array(BallotFormSchema),
});

export const SittingsResponse = z.object({
  sittings: z.array(z.object({ id: z.number(), name: z.string(), status: Status, assessmentId: z.number(), assessmentName: z.string(), year: z.number() })),
});

export const RehearseResponse = z.object({ id: z.number(), status: z.literal('rehearsal') });
export const OpenResponse = z.object({ id: z.number(), status: z.literal('open') });
export const PublishResponse = z.object({ id: z.number(), status: z.literal('published') });

export const ReconciliationSchema = z.object({
  issued: z.number(),
  printed: z.number(),
  dryRun: z.object({ issued: z.number(), used: z.number(), ballots: z.number() }),
  used: z.number(),
  unused: z.number(),
  ballots: z.number(),
  phone: z.number(),
  paper: z.number(),
  paperPending: z.object({ awaitingSecond: z.number(), conflicts: z.number() }),
  balanced: z.boolean(),
});

export const CloseResponse = z.object({
  id: z.number(),
  status: z.literal('closed'),
  reconciliation: ReconciliationSchema,
  flags: z.array(SittingFlagSchema),
  /** The head including the close entry. */
  auditHead: AuditHeadSchema,
});

/** Clear tokens are in this answer only: the server keeps their hashes. */
export const TokensResponse = z.object({ batchId: z.number(), tokens: z.array(z.string()), slipsUrl: z.string(), dryRun: z.boolean(), warnings: z.array(z.string()) });

const GroupTurnoutSchema = z.object({ name: z.string(), issued: z.number(), used: z.number(), dryRunIssued: z.number(), dryRunUsed: z.number() });

export const TurnoutSchema = z.object({
  sittingId: z.number(),
  issued: z.number(),
  used: z.number(),
  dryRun: z.object({ issued: z.number(), used: z.number() }),
  byGroup: z.array(GroupTurnoutSchema),
});

const Minute = z.object({ minute: z.number(), ballots: z.number() });
export const TurnoutMinutesResponse = z.object({ minutes: z.array(Minute), dryRun: z.array(Minute) });

export const OverviewResponse = z.object({
  groups: z.array(z.object({ name: z.string(), weight: z.number() })),
  batches: z.array(
    z.object({ id: z.number(), voterGroup: z.string(), count: z.number(), dryRun: z.boolean(), printed: z.number(), createdAt: z.number(), printable: z.boolean() }),
  ),
  /** Empty for an organiser. */
  organisers: z.array(z.object({ id: z.number(), username: z.string() })),
  subjectCount: z.number(),
  assessmentId: z.number(),
});

export const DryRunClearResponse = z.object({ id: z.number(), cleared: z.object({ tokens: z.number(), ballots: z.number() }) });

export const OrganiserResponse = Ok;

const QuestionTallySchema = z.object({ id: z.string(), counts: z.record(z.string(), z.number()), valid: z.number(), blank: z.number() });
const GroupBreakdownSchema = z.object({ group: z.string(), mean: z.nullable(z.number()), counts: z.record(z.string(), z.number()) });
const Score = z.optional(z.nullable(z.number()));
const SubjectScoresSchema = z.object({
  democraticScore: Score,
  excellentRate: Score,
  competentOrAboveRate: Score,
  incompetentRate: Score,
  basicOrBelowRate: Score,
  dimensionScores: z.optional(z.record(z.string(), z.nullable(z.number()))),
  politicalScore: Score,
});
const SubjectResultSchema = z.object({
  id: z.number(),
  name: z.string(),
  questions: z.array(QuestionTallySchema),
  scores: SubjectScoresSchema,
  byGroup: z.optional(z.array(GroupBreakdownSchema)),
});
const FormResultSchema = z.object({ id: z.string(), kind: z.enum(FORM_KINDS), subjects: z.array(SubjectResultSchema) });
const GroupSummarySchema = z.object({ name: z.string(), weight: z.number(), ballots: z.number(), shown: z.boolean(), pooled: z.boolean() });
const WithholdingSchema = z.discriminatedUnion('reason', [
  z.object({ reason: z.literal('too_few_ballots'), ballots: z.number(), k: z.number() }),
  z.object({ reason: z.literal('reopen_below_k'), newBallots: z.number(), k: z.number() }),
]);
const SittingTallySchema = z.object({
  ballots: z.number(),
  k: z.number(),
  groups: z.array(GroupSummarySchema),
  forms: z.array(FormResultSchema),
  withheld: z.optional(WithholdingSchema),
});

export const SittingResultsSchema = z.extend(SittingTallySchema, {
  sittingId: z.number(),
  status: Status,
  reconciliation: ReconciliationSchema,
  flags: z.array(SittingFlagSchema),
  void: z.boolean(),
  /** The audit head right after the close entry. */
  closeAuditHead: z.optional(AuditHeadSchema),
});

// The domain types are written as interfaces; these fail to compile when a schema drifts from them.
const _ballotForm: Same<z.output<typeof BallotFormSchema>, BallotForm> = true;
const _groupTurnout: Same<z.output<typeof GroupTurnoutSchema>, GroupTurnout> = true;
const _turnout: Same<z.output<typeof TurnoutSchema>, Turnout> = true;
const _reconciliation: Same<z.output<typeof ReconciliationSchema>, Reconciliation> = true;
const _questionTally: Same<z.output<typeof QuestionTallySchema>, QuestionTally> = true;
const _groupBreakdown: Same<z.output<typeof GroupBreakdownSchema>, GroupBreakdown> = true;
const _subjectScores: Same<z.output<typeof SubjectScoresSchema>, SubjectScores> = true;
const _subjectResult: Same<z.output<typeof SubjectResultSchema>, SubjectResult> = true;
const _formResult: Same<z.output<typeof FormResultSchema>, FormResult> = true;
const _groupSummary: Same<z.output<typeof GroupSummarySchema>, GroupSummary> = true;
const _withholding: Same<z.output<typeof WithholdingSchema>, Withholding> = true;
const _tally: Same<z.output<typeof SittingTallySchema>, SittingTally> = true;
const _results: Same<z.output<typeof SittingResultsSchema>, SittingResults> = true;
void [_ballotForm, _groupTurnout, _turnout, _reconciliation, _questionTally, _groupBreakdown, _subjectScores, _subjectResult, _formResult, _groupSummary, _withholding, _tally, _results];
