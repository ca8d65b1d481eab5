import { useState } from 'preact/hooks';
import { api, call } from '../api';
import { ErrorNote, Loading, formatTime, useLoad } from '../components';
import { t } from '../i18n';

export function AuditPage() {
  const [before, setBefore] = useState<number | undefined>(undefined);
  const page = useLoad(() => call(api.admin.audit.$get({ query: before ? { limit: '100', before: String(before) } : { limit: '100' } })), [before]);
  const d = page.data;
  return (
    <>
      <h1>{t('审计日志', 'Audit log')}</h1>
      <ErrorNote error={page.error} />
      {page.error ? null : !d ? (
        <Loading />
      ) : (
        <>
          <p class={d.broken ? 'error' : 'ok'} data-testid="audit-status">
            {d.broken
              ? t(`✗ 哈希链在第 ${d.broken.seq} 条断裂：${d.broken.problem}`, `✗ The hash chain breaks at entry ${d.broken.seq}: ${d.broken.problem}`)
              : t(`✓ 共 ${d.total} 条，哈希链完整。`, `✓ ${d.total} entries; every link of the hash chain holds.`)}
          </p>
          <p class="muted">{t('命令行校验：npm run audit:verify', 'Verify from the command line: npm run audit:verify')}</p>
          <table class="list audit">
            <thead>
              <tr>
                <th>#</th>
                <th>{t('时间', 'Time')}</th>
                <th>{t('操作人', 'Actor')}</th>
                <th>{t('操作', 'Action')}</th>
                <th>{t('对象', 'Target')}</th>
                <th>{t('详情', 'Detail')}</th>
                <th>{t('哈希', 'Hash')}</th>
              </tr>
            </thead>
            <tbody>
              {d.entries.map((e) => (
                <tr key={e.seq} class={d.broken?.seq === e.seq ? 'flagged' : ''}>
                  <td>{e.seq}</td>
                  <td class="nowrap">{formatTime(e.at)}</td>
                  <td>{e.actor}</td>
                  <td>
                    <code>{e.action}</code>
                  </td>
                  <td>{e.target}</td>
                  <td class="detail">
                    <code>{e.detail}</code>
                  </td>
                  <td>
                    <code title={e.hash}>{e.hash.slice(0, 10)}…</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <div class="actions left">
            {before !== undefined && (
              <button type="button" class="secondary" onClick={() => setBefore(undefined)}>
                {t('最新', 'Newest')}
              </button>
            )}
            {d.entries.length === 100 && (
              <button type="button" class="secondary" onClick={() => setBefore(d.entries[d.entries.length - 1]!.seq)}>
                {t('更早', 'Older')}
              </button>
            )}
          </div>
        </>
      )}
    </>
  );
}
