import { say, t } from '../i18n';
import { reconciliationFlagText } from '../models/sitting';
import type { Reconciliation, Results } from '../api-types';

/** The counts that must agree once a sitting closes. `auditHead`: the head the close response published, shown so it can be written down with the counts. */
export function ReconciliationTable({ r, flags, auditHead }: { r: Reconciliation; flags: Results['flags']; auditHead?: string | undefined }) {
  return (
    <div class={`reconciliation card ${r.balanced ? '' : 'flagged'}`} data-testid="reconciliation">
      <h3>{t('票数核对', 'Reconciliation')}</h3>
      <dl class="figures">
        <div>
          <dt>{t('发出', 'Issued')}</dt>
          <dd>{r.issued}</dd>
        </div>
        <div>
          <dt>{t('已打印', 'Printed')}</dt>
          <dd>{r.printed}</dd>
        </div>
        <div>
          <dt>{t('已使用', 'Used')}</dt>
          <dd>{r.used}</dd>
        </div>
        <div>
          <dt>{t('未使用', 'Unused')}</dt>
          <dd>{r.unused}</dd>
        </div>
        <div>
          <dt>{t('计票数', 'Ballots counted')}</dt>
          <dd>{r.ballots}</dd>
        </div>
        <div>
          <dt>{t('其中手机投票', 'Of which by phone')}</dt>
          <dd data-testid="phone-ballots">{r.phone}</dd>
        </div>
        <div>
          <dt>{t('其中纸质票', 'Of which on paper')}</dt>
          <dd data-testid="paper-ballots">{r.paper}</dd>
        </div>
        <div class={r.dryRun.issued > 0 ? 'dry' : ''}>
          <dt>{t('演练票（另计）', 'Dry run (apart)')}</dt>
          <dd>
            {r.dryRun.used}/{r.dryRun.issued}
          </dd>
        </div>
      </dl>
      <p class={r.balanced ? 'ok' : 'error'}>
        {r.balanced ? t('✓ 计票数等于已使用票数。', '✓ Ballots counted equal slips used.') : t('✗ 核对不一致，本场已被标记。', '✗ The counts do not match: the sitting is flagged.')}
      </p>
      <p class="muted" data-testid="reconciliation-sum">
        {t(
          `发出 ${r.issued} = 手机 ${r.phone} + 纸质 ${r.paper} + 未使用 ${r.unused}`,
          `Issued ${r.issued} = by phone ${r.phone} + on paper ${r.paper} + unused ${r.unused}`,
        )}
      </p>
      {r.paperPending.awaitingSecond + r.paperPending.conflicts > 0 && (
        <p class="warn" data-testid="paper-discarded">
          {t(
            `结束时作废的纸质票：待第二人录入 ${r.paperPending.awaitingSecond} 张、录入不一致 ${r.paperPending.conflicts} 张（已计入未使用，见审计日志）。`,
            `Paper ballots discarded at close: ${r.paperPending.awaitingSecond} awaiting a second clerk, ${r.paperPending.conflicts} in conflict (counted as unused; see the audit log).`,
          )}
        </p>
      )}
      {r.printed !== r.issued && (
        <p class="warn">{t(`已打印 ${r.printed} 张，发出 ${r.issued} 张：请核实未打印的票是否已作废。`, `${r.printed} printed of ${r.issued} issued: check that unprinted slips were never handed out.`)}</p>
      )}
      {flags.length > 0 && (
        <ul class="flags">
          {flags.map((f) => (
            <li key={f}>⚑ {say(reconciliationFlagText(f))}</li>
          ))}
        </ul>
      )}
      {auditHead && (
        <p class="muted small-text audit-head" data-testid="audit-head">
          {t('审计链头', 'Audit head')}: <code>{auditHead}</code>
        </p>
      )}
    </div>
  );
}
