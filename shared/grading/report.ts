import { GRADE_LABELS, gradesOf } from './glossary';
import type { CadreRole, Category, Grade, GradingResult, SubjectKind, SubjectResult } from './types';

/** A category of the report, as a filter over subjects: plain data, so it can be stored. */
export interface ReportGroup {
  id: string;
  zh: string;
  en: string;
  kind: SubjectKind;
  category?: Category;
  role?: CadreRole;
  povertyCounty?: boolean;
}

/**
 * The seed's four categories. They nest: the 75 poverty-county teams are among the 220
 * provincial teams and the 172 county principals among the 1,847 provincial cadres (the
 * seed's 57 优秀 of 220 is 25.9%, more than any pool quota allows, so forced poverty-county
 * grades must be inside the 220). See demo-province.ts.
 */
export const SEED_REPORT_GROUPS: readonly ReportGroup[] = [
  { id: 'provincial_teams', zh: '省管领导班子', en: 'provincial teams', kind: 'team' },
  { id: 'provincial_cadres', zh: '省管领导干部', en: 'provincial cadres', kind: 'cadre' },
  { id: 'poverty_county_teams', zh: '贫困县领导班子', en: 'poverty-county teams', kind: 'team', category: 'county', povertyCounty: true },
  { id: 'county_principals', zh: '县(市、区)党政正职', en: 'county principals', kind: 'cadre', category: 'county', role: 'principal' },
];

export function inGroup(group: ReportGroup, s: SubjectResult): boolean {
  return s.kind === group.kind
    && (group.category === undefined || s.category === group.category)
    && (group.role === undefined || s.role === group.role)
    && (group.povertyCounty === undefined || s.povertyCounty === group.povertyCounty);
}

export interface YearChange {
  previousYear: number;
  previousTotal: number;
  previousExcellent: number;
  /** Change in the number of 优秀. */
  excellentCount: number;
  /** Change in the 优秀 share, in percentage points, two decimals. */
  excellentSharePoints: number;
}

export interface GroupCounts {
  group: ReportGroup;
  total: number;
  /** By final grade (after overrides), every grade of the kind present, zeros included. */
  counts: Partial<Record<Grade, number>>;
  /** By the engine's proposal. */
  proposedCounts: Partial<Record<Grade, number>>;
  /** 优秀 share of the final grades, in percent, two decimals. */
  excellentShare: number;
  change?: YearChange;
}

export interface ReportRow {
  key: string;
  name: string;
  kind: SubjectKind;
  poolId: string;
  composite: number | null;
  proposedGrade: Grade;
  finalGrade: Grade;
  overridden: boolean;
  overrideReason?: string;
  reasonCodes: string[];
}

export interface GradingReport {
  assessmentId: string;
  year: number;
  policyId: string;
  policyVersion: number;
  groups: GroupCounts[];
  rows: ReportRow[];
}

const round2 = (n: number): number => Math.round(n * 100) / 100;

function countBy(kind: SubjectKind, members: readonly SubjectResult[], pick: (s: SubjectResult) => Grade): Partial<Record<Grade, number>> {
  const counts: Partial<Record<Grade, number>> = {};
  for (const g of gradesOf(kind)) counts[g] = 0;
  for (const s of members) counts[pick(s)] = (counts[pick(s)] ?? 0) + 1;
  return counts;
}

function excellentOf(result: GradingResult, group: ReportGroup): { total: number; excellent: number } {
  const members = result.subjects.filter((s) => inGroup(group, s));
  return { total: members.length, excellent: members.filter((s) => s.finalGrade === 'excellent').length };
}

/**
 * §7 Counts per grade per category, with the change against a previous year's result
 * (matched by group id), and one row per subject with the final grade beside the proposal.
 */
export function buildReport(
  result: GradingResult,
  options: { groups?: readonly ReportGroup[]; previous?: GradingResult } = {},
): GradingReport {
  const groups = (options.groups ?? SEED_REPORT_GROUPS).map((group): GroupCounts => {
    const members = result.subjects.filter((s) => inGroup(group, s));
    const { total, excellent } = excellentOf(result, group);
    const share = total === 0 ? 0 : excellent / total;
    const out: GroupCounts = {
      group, total,
      counts: countBy(group.kind, members, (s) => s.finalGrade),
      proposedCounts: countBy(group.kind, members, (s) => s.proposedGrade),
      excellentShare: round2(share * 100),
    };
    const previous = options.previous;
    if (previous !== undefined) {
      const before = excellentOf(previous, group);
      const shareBefore = before.total === 0 ? 0 : before.excellent / before.total;
      out.change = {
        previousYear: previous.year, previousTotal: before.total, previousExcellent: before.excellent,
        excellentCount: excellent - before.excellent,
        // From the exact shares, rounded once, as the seed prints it.
        excellentSharePoints: round2((share - shareBefore) * 100),
      };
    }
    return out;
  });
  const rows = result.subjects.map((s): ReportRow => ({
    key: s.key, name: s.name, kind: s.kind, poolId: s.poolId, composite: s.scores.composite,
    proposedGrade: s.proposedGrade, finalGrade: s.finalGrade, overridden: s.override !== undefined,
    ...(s.override !== undefined ? { overrideReason: s.override.reason } : {}),
    reasonCodes: s.reasons.map((r) => r.code),
  }));
  return { assessmentId: result.assessmentId, year: result.year, policyId: result.policyId, policyVersion: result.policyVersion, groups, rows };
}

const csvCell = (v: string | number | null): string => {
  const text = v === null ? '' : String(v);
  return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

/** The rows as CSV (UTF-8 text; the caller adds a BOM for spreadsheet programs if wanted). */
export function reportRowsCsv(report: GradingReport): string {
  const header = ['key', 'name', 'pool', 'composite', 'proposed 拟定等次', 'final 确定等次', 'override reason 调整理由', 'reasons'];
  const lines = report.rows.map((r) => [
    r.key, r.name, r.poolId, r.composite, GRADE_LABELS[r.proposedGrade].zh, GRADE_LABELS[r.finalGrade].zh, r.overrideReason ?? '', r.reasonCodes.join(' '),
  ].map(csvCell).join(','));
  return [header.map(csvCell).join(','), ...lines].join('\n') + '\n';
}
