import type { Success } from '../shared/unwrap';
import type { api } from './api';

/**
 * The answers the console's pages share, each the success body of its route as the server
 * declares it (`hc<ApiType>`): none is written by hand, so none can drift from the server.
 */

type Body<F extends (...args: never[]) => Promise<unknown>> = Success<Awaited<ReturnType<F>>>;
type Assessments = (typeof api.admin.assessments)[':id'];
type Sittings = (typeof api.admin.sittings)[':id'];

/** GET /api/admin/me */
export type User = Body<typeof api.admin.me.$get>['user'];
export type Role = User['role'];

/** GET /api/admin/assessments/:id: the assessment, its subjects and its sittings. */
export type AssessmentData = Body<Assessments['$get']>;
export type Subject = AssessmentData['subjects'][number];

/** GET /api/admin/sittings: every sitting the user may see, with its assessment. */
export type SittingListed = Body<typeof api.admin.sittings.$get>['sittings'][number];

/** GET /api/admin/sittings/:id */
export type Sitting = Body<Sittings['$get']>;
/** GET /api/admin/sittings/:id/overview */
export type Overview = Body<Sittings['overview']['$get']>;
export type Batch = Overview['batches'][number];
/** GET /api/admin/sittings/:id/turnout (and each event of its stream) */
export type Turnout = Body<Sittings['turnout']['$get']>;
/** GET /api/admin/sittings/:id/turnout/minutes */
export type Minutes = Body<Sittings['turnout']['minutes']['$get']>;
/** GET /api/admin/sittings/:id/results */
export type Results = Body<Sittings['results']['$get']>;
export type Reconciliation = Results['reconciliation'];
export type Withholding = NonNullable<Results['withheld']>;
export type FormResult = Results['forms'][number];
/** POST /api/admin/sittings/:id/tokens */
export type IssuedSlips = Body<Sittings['tokens']['$post']>;

/** GET /api/admin/assessments/:id/grading, or the new run POST answers (which has no createdAt). */
export type GradingRun = Body<Assessments['grading']['$get']> | Body<Assessments['grading']['$post']>;
export type SubjectResult = GradingRun['result']['subjects'][number];
export type GradingReport = GradingRun['report'];
export type ReportGroup = GradingReport['groups'][number];

/** GET /api/admin/grading/policy */
export type Policy = Body<typeof api.admin.grading.policy.$get>['policy'];

/** POST /api/admin/assessments/:id/subjects/preview */
export type SubjectsPreview = Body<Assessments['subjects']['preview']['$post']>;
/** POST /api/admin/assessments/:id/inputs/import: with ?preview the rows and problems, else the count saved. */
export type InputsImportAnswer = Body<Assessments['inputs']['import']['$post']>;
export type InputsPreview = Extract<InputsImportAnswer, { rows: unknown }>;
/** GET /api/admin/assessments/:id/inputs */
export type InputsRow = Body<Assessments['inputs']['$get']>['inputs'][number];

/** POST /api/admin/demo-province */
export type DemoProvince = Body<(typeof api.admin)['demo-province']['$post']>;

/** POST /api/voter/ballot: the slip's ballot, as the phone receives it (the paper entry screen shows it as printed). */
export type PaperBallot = Body<typeof api.voter.ballot.$post>;
/** POST /api/admin/sittings/:id/paper-entries */
export type PaperEntryOutcome = Body<Sittings['paper-entries']['$post']>;
export type PaperDifference = NonNullable<PaperEntryOutcome['differences']>[number];
/** POST /api/admin/sittings/:id/paper-entries/resolve */
export type PaperResolveOutcome = Body<Sittings['paper-entries']['resolve']['$post']>;
