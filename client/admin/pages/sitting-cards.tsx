import { t } from '../i18n';
import type { Overview, Sitting, Turnout } from '../api-types';

/** The sitting's forms, voter groups, k and minimum turnout. */
export function SettingsCard({ sitting: s, groups }: { sitting: Sitting; groups: Overview['groups'] }) {
  return (
    <div class="card">
      <h3>{t('场次设置', 'Settings')}</h3>
      <ul class="plain">
        {s.forms.map((f) => (
          <li key={f.id}>
            {t(f.title, f.titleEn)} · {t(`${f.subjects.length} 个对象`, `${f.subjects.length} subjects`)}
            {f.maxTopShare !== undefined && ` · ${t('最高等次上限', 'top cap')} ${Math.round(f.maxTopShare * 100)}%`}
          </li>
        ))}
        <li>
          {t('参评人员类别', 'Voter groups')}: {groups.map((g) => `${g.name} (${t('权重', 'weight')} ${g.weight})`).join('、')}
        </li>
        <li>
          k = {s.k} · {t('最低参评率', 'minimum turnout')} {Math.round(s.minTurnout * 100)}%
        </li>
      </ul>
    </div>
  );
}

/** Slips used of slips issued, per group, with the rehearsal's counted apart (and its clear button when offered). */
export function TurnoutCard({ turnout: tu, onClearRehearsal }: { turnout: Turnout | undefined; onClearRehearsal?: () => void }) {
  return (
    <div class="card">
      <h3>{t('参评情况', 'Turnout')}</h3>
      {tu && (
        <>
          <p class="big-figure">
            {tu.used} / {tu.issued}
          </p>
          <ul class="plain">
            {tu.byGroup.map((g) => (
              <li key={g.name}>
                {g.name}: {g.used} / {g.issued}
              </li>
            ))}
          </ul>
          {tu.dryRun.issued > 0 && (
            <p class="dry-note" data-testid="dry-run-count">
              <strong class="dry-mark">{t('演练', 'Dry run')}</strong> {t(`另计：已用 ${tu.dryRun.used} / 发出 ${tu.dryRun.issued}`, `counted apart: ${tu.dryRun.used} used of ${tu.dryRun.issued}`)}
              {onClearRehearsal && (
                <button type="button" class="secondary small" onClick={onClearRehearsal} data-testid="clear-dry-run">
                  {t('一键清除演练数据', 'Clear dry run')}
                </button>
              )}
            </p>
          )}
        </>
      )}
    </div>
  );
}
