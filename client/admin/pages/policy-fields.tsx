import { say, t } from '../i18n';
import { POVERTY_RESULTS } from '../../../shared/grading-api';
import { POVERTY_RESULT_LABELS } from '../../../shared/grading/glossary';
import { COMPONENTS, withField, withNewPool, withoutPool, withPool, type FieldProblems, type PolicyDraft } from '../models/policy';
import { SanctionChecks } from './sanction-checks';

function FieldError({ problems, path }: { problems: FieldProblems; path: string }) {
  const list = problems[path];
  if (!list?.length) return null;
  return (
    <span class="field-error" role="alert" data-testid={`error-${path}`}>
      {list.map(say).join(' ')}
    </span>
  );
}

/** Every number of the policy, grouped as GRADING.md groups them, each with its problems beside it. */
export function PolicyFields({ draft: d, problems, onChange }: { draft: PolicyDraft; problems: FieldProblems; onChange: (next: PolicyDraft) => void }) {
  const field = (path: string, zh: string, en: string, unit = '') => (
    <label class="policy-field">
      <span class="label-text">
        {t(zh, en)}
        {unit && <span class="unit"> {unit}</span>}
      </span>
      <input name={path} value={d.fields[path] ?? ''} inputMode="decimal" aria-invalid={problems[path] ? 'true' : undefined} onInput={(e) => onChange(withField(d, path, e.currentTarget.value))} />
      <FieldError problems={problems} path={path} />
    </label>
  );
  const sanctionChecks = (key: 'holdSanctions' | 'incompetentSanctions') => (
    <div class="checks">
      <SanctionChecks name={key} chosen={d[key]} onChange={(next) => onChange({ ...d, [key]: next })} />
    </div>
  );
  return (
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
          <div class="field-row">{COMPONENTS.map(([c, name]) => field(`weights.${kind}.${c}`, name.zh, name.en))}</div>
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
            <input aria-label={t('考核池', 'Pool')} name={`pool.${i}`} value={row.pool} placeholder="team:city_1" onInput={(e) => onChange(withPool(d, i, { pool: e.currentTarget.value }))} />
            <input aria-label={t('比例 %', 'Share %')} name={`poolShare.${i}`} class="narrow-input" value={row.share} inputMode="decimal" onInput={(e) => onChange(withPool(d, i, { share: e.currentTarget.value }))} />
            <span class="unit">%</span>
            <button type="button" class="link danger" onClick={() => onChange(withoutPool(d, i))}>
              {t('删除', 'Remove')}
            </button>
            <FieldError problems={problems} path={`quota.shareByPool.${row.pool.trim()}`} />
            <FieldError problems={problems} path={`pools.${i}`} />
          </div>
        ))}
        <button type="button" class="small secondary" onClick={() => onChange(withNewPool(d))}>
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
        <div class="field-row">{POVERTY_RESULTS.map((r) => field(`povertyPerformance.${r}`, POVERTY_RESULT_LABELS[r].zh, POVERTY_RESULT_LABELS[r].en))}</div>
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
  );
}
