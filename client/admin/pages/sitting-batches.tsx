import { PostButton, formatTime } from '../components';
import { t } from '../i18n';
import { api, byId } from '../api';
import type { Batch } from '../api-types';

/** Every batch of slips issued, with its printable page while the print window lasts. */
export function SlipBatches({ batches }: { batches: Batch[] }) {
  return (
    <section>
      <h2>{t('票批次', 'Slip batches')}</h2>
      {batches.length === 0 ? (
        <p class="muted">{t('尚未发放。', 'None issued yet.')}</p>
      ) : (
        <table class="list">
          <thead>
            <tr>
              <th>#</th>
              <th>{t('类别', 'Group')}</th>
              <th>{t('张数', 'Slips')}</th>
              <th>{t('已打印', 'Printed')}</th>
              <th>{t('发放时间', 'Issued at')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {batches.map((b) => (
              <tr key={b.id} class={b.dryRun ? 'dry' : ''}>
                <td>{b.id}</td>
                <td>
                  {b.voterGroup} {b.dryRun && <strong class="dry-mark">{t('演练', 'DRY RUN')}</strong>}
                </td>
                <td>{b.count}</td>
                <td>{b.printed}</td>
                <td>{formatTime(b.createdAt)}</td>
                <td class="row-actions">
                  {b.printable ? (
                    <>
                      <PostButton action={api.admin.batches[':id'].slips.$url(byId(b.id)).pathname} newTab>
                        {t('打印页', 'Print page')}
                      </PostButton>
                      <PostButton action={api.admin.batches[':id']['slips.pdf'].$url(byId(b.id)).pathname}>PDF</PostButton>
                    </>
                  ) : (
                    <span class="muted">{t('打印时限已过', 'Print window over')}</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
