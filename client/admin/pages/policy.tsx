import { useEffect, useState } from 'preact/hooks';
import { api, ApiFailure, errorText } from '../api';
import { ErrorNote, Loading, useLoad } from '../components';
import { t } from '../i18n';
import { POVERTY_RESULT_LABELS } from '../../../shared/grading/glossary';
import type { GradingPolicy } from '../../../shared/grading/policy';
import type { ComponentKey, PovertyResult, SanctionType } from '../../../shared/grading/types';
import { SANCTION_LABEL, SANCTIONS } from './inputs';

/** 评定办法: every number of GRADING.md as a form; saving creates a new version (server/services/grading.ts). */

const COMPONENTS: [ComponentKey, string, string][] = [
  ['routine', '平时考核', 'Routine'],
  ['democratic', '民主测评', 'Democratic evaluation'],
  ['performance', '工作实绩', 'Performance'],
  ['department', '部门评价', 'Department evaluation'],
  ['superior', '上级评价', 'Superior evaluation'],
];
const POVERTY: PovertyResult[] = ['good', 'fairly_good', 'average', 'poor'];

/** Fields shown as percentages, stored as rates 0-1. */
const PERCENT = new Set(['quota.defaultShare', 'quota.maxShare', 'voteFlags.incompetentRateAbove', 'voteFlags.competentOrAboveRateBelow']);

interface Draft {
  fields: Record<string, string>;
  pools: { pool: string; share: string }[];
  holdSanctions: SanctionType[];
  incompetentSanctions: SanctionType[];
}

const pct = (rate: number): string => String(Math.round(rate * 1e6) / 1e4);

function draftOf(p: GradingPolicy): Draft {
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
  for (const kind of ['team', 'cadre'] as const) for (const [c] of COMPONENTS) fields[`weights.${kind}.${c}`] = p.weights[kind][c] === undefined ? '' : String(p.weights[kind][c]);
  for (const r of POVERTY) fields[`povertyPerformance.${r}`] = p.povertyPerformance[r] === undefined ? '' : String(p.povertyPerformance[r]);
  return {
    fields,
    pools: Object.entries(p.quota.shareByPool).map(([pool, share]) => ({ pool, share: pct(share) })),
    holdSanctions: [...p.holds.sanctions],
    incompetentSanctions: [...p.incompetentSanctions],
  };
}

type Problems = Record<string, string[]>;

function buildPolicy(base: GradingPolicy, initial: Draft, d: Draft): { policy: GradingPolicy; problems: Problems } {
  const problems: Problems = {};
  const complain = (path: string, text: string) => (problems[path] ??= []).push(text);
  const read = (path: string, optional = false): number | undefined => {
    const text = (d.fields[path] ?? '').trim();
    if (text === '') {
      if (!optional) complain(path, t('请填写数字。', 'Enter a number.'));
      return undefined;
    }
    const n = Number(text);
    if (!Number.isFinite(n)) {
      complain(path, t('不是数字。', 'Not a number.'));
      return undefined;
    }
    if (!PERCENT.has(path)) return n;
    // An untouched percentage keeps its exact rate (1/3 stays 1/3).
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
    if (pool === '') return complain(`pools.${i}`, t('请填写考核池编号。', 'Enter the pool id.'));
    const initialRow = initial.pools.find((r) => r.pool === pool);
    const share = Number(row.share);
    if (row.share.trim() === '' || !Number.isFinite(share)) return complain(`quota.shareByPool.${pool}`, t('请填写比例。', 'Enter a share.'));
    shareByPool[pool] = initialRow && initialRow.share === row.share ? (base.quota.shareByPool[pool] ?? share / 100) : share / 100;
  });
  const povertyPerformance: Partial<Record<PovertyResult, number>> = {};
  for (const r of POVERTY) {
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
  return { policy, problems };
}

/** The server's codes (400 invalid_policy details.errors) in words. */
function policyErrorText(code: string): string {
  switch (code) {
    case 'id_missing':
      return t('请填写办法编号。', 'Enter the policy id.');
    case 'version_invalid':
      return t('版本号无效。', 'The version is invalid.');
    case 'weights_invalid':
      return t('权重不能为负数，合计须大于 0。', 'Weights must not be negative and must add up to more than 0.');
    case 'bands_invalid':
      return t('分数线须在 0-100 之间，且优秀线 > 称职（良好）线 > 基本称职（一般）线。', 'Band limits must be 0-100 with excellent > middle > low.');
    case 'quota_share_invalid':
      return t('优秀比例须在 0% 到最高比例之间，最高不超过 25%。', 'A 优秀 share must be between 0% and the maximum share, itself at most 25%.');
    case 'threshold_invalid':
      return t('数值超出允许范围。', 'The value is out of range.');
    case 'downgrade_steps_invalid':
      return t('降等级数须为 0 到 3 的整数。', 'Downgrade steps must be a whole number from 0 to 3.');
    default:
      return code;
  }
}

function FieldError({ problems, path }: { problems: Problems; path: string }) {
  const list = problems[path];
  if (!list?.length) return null;
  return (
    <span class="field-error" role="alert" data-testid={`error-${path}`}>
      {list.join(' ')}
    </span>
  );
}

export function PolicyPage() {
  const loaded = useLoad(() => api.get<{ policy: GradingPolicy }>('/api/admin/grading/policy'), []);
  const [base, setBase] = useState<GradingPolicy | null>(null);
  const [initial, setInitial] = useState<Draft | null>(null);
  const [d, setD] = useState<Draft | null>(null);
  const [problems, setProblems] = useState<Problems>({});
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const reset = (p: GradingPolicy) => {
    const draft = draftOf(p);
    setBase(p);
    setInitial(draft);
    setD(draft);
  };
  useEffect(() => {
    if (loaded.data) reset(loaded.data.policy);
  }, [loaded.data]);
  if (loaded.error) return <ErrorNote error={loaded.error} />;
  if (!base || !initial || !d) return <Loading />;

  const setField = (path: string, value: string) => setD({ ...d, fields: { ...d.fields, [path]: value } });
  const field = (path: string, zh: string, en: string, unit = '') => (
    <label class="policy-field">
      <span class="label-text">
        {t(zh, en)}
        {unit && <span class="unit"> {unit}</span>}
      </span>
      <input name={path} value={d.fields[path] ?? ''} inputMode="decimal" aria-invalid={problems[path] ? 'true' : undefined} onInput={(e) => setField(path, e.currentTarget.value)} />
      <FieldError problems={problems} path={path} />
    </label>
  );
  const sanctionChecks = (key: 'holdSanctions' | 'incompetentSanctions') => (
    <div class="checks">
      {SANCTIONS.map((s) => (
        <label key={s} class="check">
          <input type="checkbox" name={`${key}.${s}`} checked={d[key].includes(s)} onChange={(e) => setD({ ...d, [key]: e.currentTarget.checked ? [...d[key], s] : d[key].filter((x) => x !== s) })} />
          {t(SANCTION_LABEL[s][0], SANCTION_LABEL[s][1])}
        </label>
      ))}
    </div>
  );

  const save = async (e: Event) => {
    e.preventDefault();
    setSaved(null);
    setError(null);
    const { policy, problems: local } = buildPolicy(base, initial, d);
    setProblems(local);
    if (Object.keys(local).length > 0) {
      setError(t('请先改正标出的项目。', 'Correct the marked fields first.'));
      return;
    }
    setBusy(true);
    try {
      const r = await api.post<{ policy: GradingPolicy }>('/api/admin/grading/policy', policy);
      reset(r.policy);
      setSaved(t(`已保存为 ${r.policy.id} 第 ${r.policy.version} 版，此后的评定使用此版本。`, `Saved as ${r.policy.id} version ${r.policy.version}; later grading runs use it.`));
    } catch (err) {
      const byPath: Problems = {};
      if (err instanceof ApiFailure && err.code === 'invalid_policy') {
        for (const p of (err.details as { errors?: { code: string; path: string }[] } | undefined)?.errors ?? []) (byPath[p.path] ??= []).push(policyErrorText(p.code));
      } else if (err instanceof ApiFailure && err.code === 'invalid_request') {
        for (const p of (err.details as { issues?: { path: string }[] } | undefined)?.issues ?? []) (byPath[p.path] ??= []).push(t('数值超出允许范围。', 'The value is out of range.'));
      }
      setProblems(byPath);
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="policy" onSubmit={save} noValidate data-testid="policy-form">
      <h1>
        {t('评定办法', 'Grading policy')}{' '}
        <small class="muted" data-testid="policy-version">
          {base.id} · {t(`第 ${base.version} 版（现行）`, `version ${base.version} (in force)`)}
        </small>
      </h1>
      <p class="muted">
        {t(
          '评定等次使用的全部参数（GRADING.md）。保存后生成新版本；已有的评定结果保留其当时使用的版本。',
          'Every number the grading uses (GRADING.md). Saving creates a new version; earlier grading runs keep the version they used.',
        )}
      </p>
      {saved && (
        <p class="ok" role="status" data-testid="policy-saved">
          {saved}
        </p>
      )}
      <div class="grid-2">
        <fieldset>
          <legend>{t('基本信息', 'Policy')}</legend>
          {field('id', '办法编号', 'Policy id')}
        </fieldset>
        <fieldset class={problems.bands ? 'invalid' : ''}>
          <legend>{t('分数线（§5.6）', 'Score bands (§5.6)')}</legend>
          <FieldError problems={problems} path="bands" />
          <div class="field-row">
            {field('bands.excellent', '优秀线 ≥', 'Excellent ≥')}
            {field('bands.middle', '称职/良好 ≥', 'Middle ≥')}
            {field('bands.low', '基本称职/一般 ≥', 'Low ≥')}
          </div>
        </fieldset>
        {(['cadre', 'team'] as const).map((kind) => (
          <fieldset key={kind} class={problems[`weights.${kind}`] ? 'invalid' : ''}>
            <legend>{kind === 'cadre' ? t('干部综合得分权重（§4）', 'Cadre composite weights (§4)') : t('班子综合得分权重（§4）', 'Team composite weights (§4)')}</legend>
            <FieldError problems={problems} path={`weights.${kind}`} />
            <div class="field-row">{COMPONENTS.map(([c, zh, en]) => field(`weights.${kind}.${c}`, zh, en))}</div>
            <p class="muted small-text">{t('空白表示不计入；按实际有得分的项目重新折算。', 'Blank: not counted. Renormalised over the components present.')}</p>
          </fieldset>
        ))}
        <fieldset>
          <legend>{t('优秀比例（§5.7）', '优秀 quota (§5.7)')}</legend>
          <div class="field-row">
            {field('quota.defaultShare', '默认比例', 'Default share', '%')}
            {field('quota.maxShare', '最高比例', 'Maximum share', '%')}
          </div>
          <p class="muted small-text">{t('各考核池的比例（例：deputy:t-dept_other-015、principal:city_1、team:city_2）', 'Per pool (e.g. deputy:t-dept_other-015, principal:city_1, team:city_2)')}</p>
          {d.pools.map((row, i) => (
            <div class="group-row" key={i}>
              <input aria-label={t('考核池', 'Pool')} name={`pool.${i}`} value={row.pool} placeholder="team:city_1" onInput={(e) => setD({ ...d, pools: d.pools.map((r, j) => (j === i ? { ...r, pool: e.currentTarget.value } : r)) })} />
              <input aria-label={t('比例 %', 'Share %')} name={`poolShare.${i}`} class="narrow-input" value={row.share} inputMode="decimal" onInput={(e) => setD({ ...d, pools: d.pools.map((r, j) => (j === i ? { ...r, share: e.currentTarget.value } : r)) })} />
              <span class="unit">%</span>
              <button type="button" class="link danger" onClick={() => setD({ ...d, pools: d.pools.filter((_, j) => j !== i) })}>
                {t('删除', 'Remove')}
              </button>
              <FieldError problems={problems} path={`quota.shareByPool.${row.pool.trim()}`} />
              <FieldError problems={problems} path={`pools.${i}`} />
            </div>
          ))}
          <button type="button" class="small secondary" onClick={() => setD({ ...d, pools: [...d.pools, { pool: '', share: '' }] })}>
            {t('添加考核池比例', 'Add a pool share')}
          </button>
        </fieldset>
        <fieldset>
          <legend>{t('优秀条件与降等（§5.3-5.4）', 'Bars and downgrades (§5.3-5.4)')}</legend>
          <div class="field-row">
            {field('politicalQualityMin', '政治素质测评不低于', 'Political quality at least')}
            {field('downgradeSteps', '每项降等级数', 'Downgrade steps')}
          </div>
        </fieldset>
        <fieldset>
          <legend>{t('脱贫攻坚成效折算工作实绩（§2）', 'Poverty result as performance (§2)')}</legend>
          <div class="field-row">{POVERTY.map((r) => field(`povertyPerformance.${r}`, POVERTY_RESULT_LABELS[r].zh, POVERTY_RESULT_LABELS[r].en))}</div>
        </fieldset>
        <fieldset>
          <legend>{t('不定等次（§5.1）', 'Holds: 不定等次 (§5.1)')}</legend>
          <div class="field-row">
            {field('holds.minMonthsInPost', '任职不满（月）', 'In post under (months)')}
            {field('holds.maxLeaveMonths', '请假超过（月）', 'Leave over (months)')}
          </div>
          <p class="muted small-text">{t('受以下处分的不定等次：', 'Sanctions that hold the grade:')}</p>
          {sanctionChecks('holdSanctions')}
        </fieldset>
        <fieldset>
          <legend>{t('确定为不称职的处分（§5.2）', 'Sanctions forcing 不称职 (§5.2)')}</legend>
          {sanctionChecks('incompetentSanctions')}
        </fieldset>
        <fieldset>
          <legend>{t('票数提示（§5.5）', 'Vote flags (§5.5)')}</legend>
          <div class="field-row">
            {field('voteFlags.incompetentRateAbove', '不称职率高于', 'Incompetent rate above', '%')}
            {field('voteFlags.competentOrAboveRateBelow', '称职以上率低于', 'Competent-or-above rate below', '%')}
          </div>
        </fieldset>
        <fieldset>
          <legend>{t('谈话提醒与区分度（§2、§6）', 'Reminder talk and discrimination (§2, §6)')}</legend>
          <div class="field-row">
            {field('reminderTalkBelow', '综合得分低于此分谈话提醒', 'Reminder talk below')}
            {field('discriminationMinSpread', '评价极差小于此分提示复核', 'Minimum evaluator spread')}
          </div>
        </fieldset>
      </div>
      <ErrorNote error={error} />
      <div class="actions left">
        <button type="submit" class="primary" disabled={busy} data-testid="policy-save">
          {t('保存为新版本', 'Save as a new version')}
        </button>
        <button type="button" class="secondary" onClick={() => (setD(initial), setProblems({}), setError(null))}>
          {t('放弃修改', 'Discard changes')}
        </button>
      </div>
    </form>
  );
}
