import type { PaperPending } from '../../../shared/sitting';
import { api, ApiFailure, byId, call, postWithQuery } from '../api';
import { confirmStep } from '../components';
import { t } from '../i18n';

/**
 * Closes a sitting. Paper ballots entered by one clerk only, or in conflict, would be lost by
 * the close: the server refuses it (409 paper_entries_pending) and the admin is asked, with the
 * counts, whether to discard them; yes closes again with the confirmation (audited by the server).
 * Null when the admin keeps them.
 */
export async function closeSitting(id: number) {
  const route = api.admin.sittings[':id'].close;
  try {
    return await call(route.$post(byId(id)));
  } catch (err) {
    if (!(err instanceof ApiFailure) || err.code !== 'paper_entries_pending') throw err;
    const { awaitingSecond, conflicts } = err.details as PaperPending;
    const discard = await confirmStep({
      title: t('纸质票尚未录完', 'Paper ballots not fully entered'),
      body: (
        <>
          <p data-testid="paper-pending">
            {t(`待第二人录入 ${awaitingSecond} 张，录入不一致待裁定 ${conflicts} 张。`, `${awaitingSecond} awaiting a second clerk, ${conflicts} in conflict awaiting an admin.`)}
          </p>
          <p>
            {t(
              '现在结束将作废这些纸质票：它们不计票，其票号计为未使用。此操作将记入审计日志。若要保留，请先完成录入或裁定。',
              'Closing now discards these paper ballots: they are not counted and their slips count as unused. This is recorded in the audit log. To keep them, finish the entry or resolve the conflicts first.',
            )}
          </p>
        </>
      ),
      confirmLabel: t('作废并结束', 'Discard and close'),
      danger: true,
    });
    return discard ? postWithQuery(route, id, '?discardPendingPaper=true') : null;
  }
}
