import * as z from 'zod/mini';
import { ERROR_MESSAGES } from '../../../shared/errors';
import { GradingPolicySchema, POVERTY_RESULTS } from '../../../shared/grading-api';
import { validatePolicy, type GradingPolicy, type PolicyError } from '../../../shared/grading/policy';
import type { ComponentKey, PovertyResult, SanctionType } from '../../../shared/grading/types';
import { bi, type Bilingual } from './text';

/**
 * The policy page (评定办法): every number of the policy as a text field, read back into a
 * policy and checked with the server's own schema (GradingPolicySchema) and rules
 * (validatePolicy). A refusal found here has the server's code and details, and is shown
 * beside the fields exactly as the server's would be.
 */

export const COMPONENTS: readonly [ComponentKey, Bilingual][] = [
  ['routine', bi('平时考核', 'Routine')],
  ['democratic', bi('民主测评', 'Democratic evaluation')],
  ['performance', bi('工作实绩', 'Performance')],
  ['department', bi('部门评价', 'Department evaluation')],
  ['superior', bi('上级评价', 'Superior evaluation')],
];

/** Fields shown as percentages, stored as rates 0-1. */
const PERCENT = new Set(['quota.defaultShare', 'quota.maxShare', 'voteFlags.incompetentRateAbove', 'voteFlags.competentOrAboveRateBelow']);

export interface PoolShareRow {
  pool: string;
  share: string;
}

export interface PolicyDraft {
  /** Text of each number field, by its path in the policy ('bands.excellent'). */
  fields: Record<string, string>;
  pools: PoolShareRow[];
  holdSanctions: SanctionType[];
  incompetentSanctions: SanctionType[];
}

/** What the page shows beside each field (by path), and above the form. */
export type FieldProblems = Record<string, Bilingual[]>;

const pct = (rate: number): string => String(Math.round(rate * 1e6) / 1e4);
const optional = (n: number | undefined): string => (n === undefined ? '' : String(n));

export function draftOf(p: GradingPolicy): PolicyDraft {
  const fields: Record<string, string> = {
    id: p.id,
    'bands.excellent': String(p.bands.excellent),
    'bands.middle': String(p.bands.middle),
    'bands.low': String(p.bands.low),
    'quota.defaultShare': pct(p.quota.defaultShare),
    'quota.maxShare': pct(p.quota.maxShare),
    politicalQualityMin: String(p.politicalQualityMin),
    downgradeSteps: String(p.downgradeSteps),
    'holds.minMonthsInPost': String(p.holds.minMonthsInPost),
    'holds.maxLeaveMonths': String(p.holds.maxLeaveMonths),
    'voteFlags.incompetentRateAbove': pct(p.voteFlags.incompetentRateAbove),
    'voteFlags.competentOrAboveRateBelow': pct(p.voteFlags.competentOrAboveRateBelow),
    reminderTalkBelow: String(p.reminderTalkBelow),
    discriminationMinSpread: String(p.discriminationMinSpread),
  };
  for (const kind of ['team', 'cadre'] as const) for (const [c] of COMPONENTS) fields[`weights.${kind}.${c}`] = optional(p.weights[kind][c]);
  for (const r of POVERTY_RESULTS) fields[`povertyPerformance.${r}`] = optional(p.povertyPerformance[r]);
  return {
    fields,
    pools: Object.entries(p.quota.shareByPool).map(([pool, share]) => ({ pool, share: pct(share) })),
    holdSanctions: [...p.holds.sanctions],
    incompetentSanctions: [...p.incompetentSanctions],
  };
}

// ---- Edits ----

export const withField = (d: PolicyDraft, path: string, value: string): PolicyDraft => ({ ...d, fields: { ...d.fields, [path]: value } });
export const withPool = (d: PolicyDraft, index: number, edit: Partial<PoolShareRow>): PolicyDraft => ({ ...d, pools: d.pools.map((r, j) => (j === index ? { ...r, ...edit } : r)) });
export const withoutPool = (d: PolicyDraft, index: number): PolicyDraft => ({ ...d, pools: d.pools.filter((_, j) => j !== index) });
export const withNewPool = (d: PolicyDraft): PolicyDraft => ({ ...d, pools: [...d.pools, { pool: '', share: '' }] });

// ---- Reading the form back ----

const complainTo = (problems: FieldProblems) => (path: string, text: Bilingual) => (problems[path] ??= []).push(text);

/**
 * The policy the form holds, and the fields that cannot be read as numbers at all (blank or
 * not a number): those the server never sees, so only the form can name them. An untouched
 * percentage keeps its exact rate (1/3 stays 1/3, not 0.3333).
 */
export function readDraft(base: GradingPolicy, initial: PolicyDraft, d: PolicyDraft): { policy: GradingPolicy; unreadable: FieldProblems } {
  const unreadable: FieldProblems = {};
  const complain = complainTo(unreadable);
  const read = (path: string, optional = false): number | undefined => {
    const text = (d.fields[path] ?? '').trim();
    if (text === '') {
      if (!optional) complain(path, bi('请填写数字。', 'Enter a number.'));
      return undefined;
    }
    const n = Number(text);
    if (!Number.isFinite(n)) {
      complain(path, bi('不是数字。', 'Not a number.'));
      return undefined;
    }
    if (!PERCENT.has(path)) return n;
    if (text === initial.fields[path]) {
      const [group, key] = path.split('.') as [string, string];
      return (base as unknown as Record<string, Record<string, number>>)[group]![key];
    }
    return n / 100;
  };
  const num = (path: string) => read(path) ?? NaN;
  const weights = (kind: 'team' | 'cadre') => {
    const out: Partial<Record<ComponentKey, number>> = {};
    for (const [c] of COMPONENTS) {
      const w = read(`weights.${kind}.${c}`, true);
      if (w !== undefined) out[c] = w;
    }
    return out;
  };
  const shareByPool: Record<string, number> = {};
  d.pools.forEach((row, i) => {
    const pool = row.pool.trim();
    if (pool === '' && row.share.trim() === '') return;
    if (pool === '') return complain(`pools.${i}`, bi('请填写考核池编号。', 'Enter the pool id.'));
    const share = Number(row.share);
    if (row.share.trim() === '' || !Number.isFinite(share)) return complain(`quota.shareByPool.${pool}`, bi('请填写比例。', 'Enter a share.'));
    const untouched = initial.pools.find((r) => r.pool === pool)?.share === row.share;
    shareByPool[pool] = untouched ? (base.quota.shareByPool[pool] ?? share / 100) : share / 100;
  });
  const povertyPerformance: Partial<Record<PovertyResult, number>> = {};
  for (const r of POVERTY_RESULTS) {
    const v = read(`povertyPerformance.${r}`, true);
    if (v !== undefined) povertyPerformance[r] = v;
  }
  const policy: GradingPolicy = {
    id: (d.fields.id ?? '').trim(),
    version: base.version,
    weights: { team: weights('team'), cadre: weights('cadre') },
    bands: { excellent: num('bands.excellent'), middle: num('bands.middle'), low: num('bands.low') },
    quota: { defaultShare: num('quota.defaultShare'), shareByPool, maxShare: num('quota.maxShare') },
    politicalQualityMin: num('politicalQualityMin'),
    povertyPerformance,
    downgradeSteps: num('downgradeSteps'),
    holds: { minMonthsInPost: num('holds.minMonthsInPost'), maxLeaveMonths: num('holds.maxLeaveMonths'), sanctions: d.holdSanctions },
    incompetentSanctions: d.incompetentSanctions,
    voteFlags: { incompetentRateAbove: num('voteFlags.incompetentRateAbove'), competentOrAboveRateBelow: num('voteFlags.competentOrAboveRateBelow') },
    reminderTalkBelow: num('reminderTalkBelow'),
    discriminationMinSpread: num('discriminationMinSpread'),
  };
  return { policy, unreadable };
}

export const CORRECT_MARKED_FIELDS = bi('请先改正标出的项目。', 'Correct the marked fields first.');

// ---- Refusals: the server's codes and details, found here or returned by the server ----

export type PolicyRefusal =
  | { code: 'invalid_request'; details: { issues: { path: string; message: string }[] } }
  | { code: 'invalid_policy'; details: { errors: PolicyError[] } };

/**
 * What POST /api/admin/grading/policy would answer for this policy, found with the server's
 * own checks in the server's order (schema first, then the rules); null when it would be saved.
 */
export function policyRefusal(policy: GradingPolicy): PolicyRefusal | null {
  const parsed = z.safeParse(GradingPolicySchema, policy);
  // As server/http/validate.ts reports a schema failure: the first 20 issues, paths dotted.
  if (!parsed.success) return { code: 'invalid_request', details: { issues: parsed.error.issues.slice(0, 20).map((i) => ({ path: i.path.join('.'), message: i.message })) } };
  const errors = validatePolicy(parsed.data);
  return errors.length > 0 ? { code: 'invalid_policy', details: { errors } } : null;
}

/** The message above the form for a refusal: the server's own (shared/errors.ts). */
export const refusalMessage = (refusal: PolicyRefusal): Bilingual => ERROR_MESSAGES[refusal.code];

/** A policy rule's code (PolicyError) in words; a code this console does not know is shown as it is. */
export function policyErrorText(code: string): Bilingual {
  switch (code as PolicyError['code']) {
    case 'id_missing':
      return bi('请填写办法编号。', 'Enter the policy id.');
    case 'version_invalid':
      return bi('版本号无效。', 'The version is invalid.');
    case 'weights_invalid':
      return bi('权重不能为负数，合计须大于 0。', 'Weights must not be negative and must add up to more than 0.');
    case 'bands_invalid':
      return bi('分数线须在 0-100 之间，且优秀线 > 称职（良好）线 > 基本称职（一般）线。', 'Band limits must be 0-100 with excellent > middle > low.');
    case 'quota_share_invalid':
      return bi('优秀比例须在 0% 到最高比例之间，最高不超过 25%。', 'A 优秀 share must be between 0% and the maximum share, itself at most 25%.');
    case 'threshold_invalid':
      return bi('数值超出允许范围。', 'The value is out of range.');
    case 'downgrade_steps_invalid':
      return bi('降等级数须为 0 到 3 的整数。', 'Downgrade steps must be a whole number from 0 to 3.');
    default:
      return bi(code, code);
  }
}

/**
 * The texts beside the fields for a refusal, whether this page found it or the server sent
 * it (an error code and its details); any other failure marks no field.
 */
export function refusalProblems(refusal: { code: string; details?: unknown }): FieldProblems {
  const problems: FieldProblems = {};
  const complain = complainTo(problems);
  if (refusal.code === 'invalid_policy') {
    for (const e of (refusal.details as { errors?: PolicyError[] } | undefined)?.errors ?? []) complain(e.path, policyErrorText(e.code));
  } else if (refusal.code === 'invalid_request') {
    for (const i of (refusal.details as { issues?: { path: string }[] } | undefined)?.issues ?? []) complain(i.path, policyErrorText('threshold_invalid'));
  }
  return problems;
}

export const hasProblems = (problems: FieldProblems): boolean => Object.keys(problems).length > 0;

export const savedText = (saved: GradingPolicy): Bilingual =>
  bi(`已保存为 ${saved.id} 第 ${saved.version} 版，此后的评定使用此版本。`, `Saved as ${saved.id} version ${saved.version}; later grading runs use it.`);
