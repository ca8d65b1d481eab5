import { useState } from 'preact/hooks';
import { api, byId, call } from '../api';
import type { IssuedSlips, Overview } from '../api-types';
import { ErrorNote, PostButton } from '../components';
import { t } from '../i18n';
import { issueSlipsRequest } from '../models/sitting';
import { useAction } from '../use-action';

/** The batch just issued, without its clear tokens: the printable page shows those once. */
type Issued = Omit<IssuedSlips, 'tokens'> & { count: number };

/** Issues a batch of slips to one voter group; practice (dry-run) slips only before the sitting opens: they vote only in its rehearsal. */
export function IssueSlips({ sittingId, groups, k, practice, onIssued }: { sittingId: number; groups: Overview['groups']; k: number; practice: boolean; onIssued: () => void }) {
  const [group, setGroup] = useState(groups[0]?.name ?? '');
  const [count, setCount] = useState('50');
  const [dryRun, setDryRun] = useState(false);
  const [issued, setIssued] = useState<Issued | null>(null);
  const issue = useAction(async () => {
    const { tokens, ...r } = await call(api.admin.sittings[':id'].tokens.$post({ ...byId(sittingId), json: issueSlipsRequest(group, count, practice, dryRun) }));
    setIssued({ ...r, count: tokens.length });
    onIssued();
  });
  return (
    <form class="card issue" onSubmit={(e) => (e.preventDefault(), issue.run())}>
      <h3>{t('发放测评票', 'Issue slips')}</h3>
      <div class="inline-form">
        <label>
          {t('参评人员类别', 'Voter group')}
          <select name="voterGroup" value={group} onChange={(e) => setGroup(e.currentTarget.value)}>
            {groups.map((g) => (
              <option key={g.name} value={g.name}>
                {g.name}
              </option>
            ))}
          </select>
        </label>
        <label class="narrow">
          {t('张数', 'Count')}
          <input name="count" type="number" min={1} max={2000} value={count} onInput={(e) => setCount(e.currentTarget.value)} required />
        </label>
        {practice && (
          <label class="check dry-toggle">
            <input type="checkbox" name="dryRun" checked={dryRun} onChange={(e) => setDryRun(e.currentTarget.checked)} />
            {t('演练票（仅演练阶段可投，不计入结果）', 'Dry-run slips (vote only in the rehearsal, not counted)')}
          </label>
        )}
        <button type="submit" class={dryRun ? 'secondary' : 'primary'} data-testid="issue">
          {dryRun ? t('发放演练票', 'Issue test slips') : t('发放', 'Issue')}
        </button>
      </div>
      <ErrorNote error={issue.error} />
      {issued && (
        <div class={`issued ${issued.dryRun ? 'dry' : ''}`} role="status" data-testid="issued">
          <p>
            {issued.dryRun ? <strong class="dry-mark">{t('演练 ', 'DRY RUN ')}</strong> : null}
            {t(`已发放 ${issued.count} 张，请立即打印（打印页 30 分钟内有效；明文票号只在签发它的这台服务器的内存中，从不写入数据库，有多台服务器时须由同一台打开打印页）。`, `${issued.count} slips issued. Print them now: the page lasts 30 minutes; clear tokens live only in the memory of the server that issued them, never in the database, so with several servers the print page must be opened on the same one.`)}
          </p>
          {issued.warnings.includes('batch_below_k') && <p class="warn">{issued.dryRun ? t(`该类别演练票少于 ${k} 张：演练投票人数过少可能暴露个人选择。`, `Fewer than ${k} practice slips in this group: so few rehearsal voters could be singled out.`) : t(`该类别发放少于 ${k} 张，分组结果将不显示。`, `Fewer than ${k} slips in this group: its breakdown will be hidden.`)}</p>}
          <p class="links">
            <PostButton action={issued.slipsUrl} newTab testId="slips-page">
              {t('打开打印页', 'Open printable page')}
            </PostButton>
            <PostButton action={api.admin.batches[':id']['slips.pdf'].$url(byId(issued.batchId)).pathname} testId="slips-pdf">
              {t('下载 PDF', 'Download PDF')}
            </PostButton>
          </p>
        </div>
      )}
    </form>
  );
}
