import { t } from '../i18n';
import { fmtScore } from '../models/format';
import type { GradingRun } from '../api-types';

/** §2 discrimination: the evaluating departments whose marks hardly differ, for review. */
export function FlaggedEvaluators({ run }: { run: GradingRun }) {
  const flagged = run.result.evaluators.filter((e) => e.flagged);
  return (
    <div class="card evaluators" data-testid="flagged-evaluators">
      <h3>
        {t('区分度不足的评价单位', 'Evaluators with too little spread')}{' '}
        <small class="muted">{t(`（极差小于 ${run.policy.discriminationMinSpread} 分，需复核）`, `(spread under ${run.policy.discriminationMinSpread} points: review)`)}</small>
      </h3>
      {flagged.length === 0 ? (
        <p class="muted">{t('没有。', 'None.')}</p>
      ) : (
        <table class="list compact">
          <thead>
            <tr>
              <th>{t('评价单位', 'Evaluator')}</th>
              <th class="num">{t('评价对象数', 'Rated')}</th>
              <th class="num">{t('最低', 'Min')}</th>
              <th class="num">{t('最高', 'Max')}</th>
              <th class="num">{t('极差', 'Spread')}</th>
            </tr>
          </thead>
          <tbody>
            {flagged.map((e) => (
              <tr key={e.evaluatorKey}>
                <td>{e.evaluatorKey}</td>
                <td class="num">{e.rated}</td>
                <td class="num">{fmtScore(e.min)}</td>
                <td class="num">{fmtScore(e.max)}</td>
                <td class="num strong">{fmtScore(e.spread)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
