/** The grading engine (GRADING.md §2-§7): pure functions, no I/O. */
export type * from './types';
export { DEFAULT_POLICY, quotaShare, validatePolicy, type GradingPolicy, type PolicyError } from './policy';
export { GRADE_LABELS, POVERTY_RESULT_LABELS, TEAM_LADDER, CADRE_LADDER, gradesOf, lowerGrade } from './glossary';
export { scoreSheet, POVERTY_INDICATOR } from './composite';
export { poolIdOf } from './pools';
export { gradeAssessment } from './engine';
export { applyOverride, type OverrideOutcome, type OverrideErrorCode } from './override';
export { actionsFor } from './actions';
export { evaluatorSpreads } from './discrimination';
export { buildReport, reportRowsCsv, SEED_REPORT_GROUPS, type ReportGroup, type GradingReport, type GroupCounts, type ReportRow, type YearChange } from './report';
export { demoProvince, DEMO_POLICY, type DemoProvince } from './demo-province';
