import { useState } from 'preact/hooks';
import { useRoute } from 'preact-iso';
import { api, errorText } from '../api';
import { allows } from '../../../shared/sitting-life';
import { ErrorNote, Loading, PostButton, StatusBadge, confirmStep, formatTime, useLoad } from '../components';
import { t } from '../i18n';
import { useAppState } from '../state';
import type { Overview, Reconciliation, Sitting, Turnout, User } from '../types';
import type { SittingResults } from '../../../shared/sitting';

/** `auditHead`: the head the close response published, shown so it can be written down with the counts. */
export function ReconciliationTable({ r, flags, auditHead }: { r: Reconciliation; flags: string[]; auditHead?: string }) {
  const flagText: Record<string, string> = {
    ballots_exceed_slips: t('有效票多于发出的票：本场无效', 'More ballots than slips issued: the sitting is void'),
    ballots_differ_from_used: t('计票数与已使用票数不一致', 'Ballots counted differ from slips used'),
    low_turnout: t('参评率低于最低要求', 'Turnout below the minimum'),
  };
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
      {r.printed !== r.issued && (
        <p class="warn">{t(`已打印 ${r.printed} 张，发出 ${r.issued} 张：请核实未打印的票是否已作废。`, `${r.printed} printed of ${r.issued} issued: check that unprinted slips were never handed out.`)}</p>
      )}
      {flags.length > 0 && (
        <ul class="flags">
          {flags.map((f) => (
            <li key={f}>⚑ {flagText[f] ?? f}</li>
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

/** Practice (dry-run) slips only before the sitting opens: they vote only in its rehearsal. */
function IssueSlips({ sittingId, groups, k, practice, onIssued }: { sittingId: number; groups: { name: string }[]; k: number; practice: boolean; onIssued: () => void }) {
  const [group, setGroup] = useState(groups[0]?.name ?? '');
  const [count, setCount] = useState('50');
  const [dryRun, setDryRun] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [issued, setIssued] = useState<{ batchId: number; count: number; slipsUrl: string; dryRun: boolean; warnings: string[] } | null>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    try {
      const r = await api.post<{ batchId: number; tokens: string[]; slipsUrl: string; dryRun: boolean; warnings: string[] }>(`/api/admin/sittings/${sittingId}/tokens`, { voterGroup: group, count: Number(count), dryRun: practice && dryRun });
      setIssued({ batchId: r.batchId, count: r.tokens.length, slipsUrl: r.slipsUrl, dryRun: r.dryRun, warnings: r.warnings });
      onIssued();
    } catch (err) {
      setError(errorText(err));
    }
  };
  return (
    <form class="card issue" onSubmit={submit}>
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
      <ErrorNote error={error} />
      {issued && (
        <div class={`issued ${issued.dryRun ? 'dry' : ''}`} role="status" data-testid="issued">
          <p>
            {issued.dryRun ? <strong class="dry-mark">{t('演练 ', 'DRY RUN ')}</strong> : null}
            {t(`已发放 ${issued.count} 张，请立即打印（打印页 30 分钟内有效，明文票号不保存）。`, `${issued.count} slips issued. Print them now: the page lasts 30 minutes and clear tokens are never stored.`)}
          </p>
          {issued.warnings.includes('batch_below_k') && <p class="warn">{issued.dryRun ? t(`该类别演练票少于 ${k} 张：演练投票人数过少可能暴露个人选择。`, `Fewer than ${k} practice slips in this group: so few rehearsal voters could be singled out.`) : t(`该类别发放少于 ${k} 张，分组结果将不显示。`, `Fewer than ${k} slips in this group: its breakdown will be hidden.`)}</p>}
          <p class="links">
            <PostButton action={issued.slipsUrl} newTab testId="slips-page">
              {t('打开打印页', 'Open printable page')}
            </PostButton>
            <PostButton action={`/api/admin/batches/${issued.batchId}/slips.pdf`} testId="slips-pdf">
              {t('下载 PDF', 'Download PDF')}
            </PostButton>
          </p>
        </div>
      )}
    </form>
  );
}

function Organisers({ sittingId, assigned, onChanged }: { sittingId: number; assigned: { id: number; username: string }[]; onChanged: () => void }) {
  const users = useLoad(() => api.get<{ users: User[] }>('/api/admin/users'), []);
  const [userId, setUserId] = useState('');
  const [error, setError] = useState<string | null>(null);
  const candidates = (users.data?.users ?? []).filter((u) => u.role === 'organiser' && !assigned.some((a) => a.id === u.id));
  const assign = async () => {
    try {
      await api.post(`/api/admin/sittings/${sittingId}/organisers`, { userId: Number(userId) });
      setUserId('');
      onChanged();
    } catch (err) {
      setError(errorText(err));
    }
  };
  return (
    <div class="card">
      <h3>{t('组织人员', 'Organisers')}</h3>
      <p>{assigned.length > 0 ? assigned.map((u) => u.username).join('、') : <span class="muted">{t('尚未指定。', 'None assigned.')}</span>}</p>
      {candidates.length > 0 && (
        <div class="inline-form">
          <select value={userId} onChange={(e) => setUserId(e.currentTarget.value)} aria-label={t('组织人员', 'Organiser')}>
            <option value="">{t('选择组织人员…', 'Choose an organiser…')}</option>
            {candidates.map((u) => (
              <option key={u.id} value={u.id}>
                {u.username}
              </option>
            ))}
          </select>
          <button type="button" class="secondary" disabled={!userId} onClick={assign}>
            {t('指定', 'Assign')}
          </button>
        </div>
      )}
      <ErrorNote error={error} />
    </div>
  );
}

export function SittingPage() {
  const { params } = useRoute();
  const id = Number(params.id);
  const { user } = useAppState();
  const isAdmin = user.value?.role === 'admin';
  const sitting = useLoad(() => api.get<Sitting>(`/api/admin/sittings/${id}`), [id]);
  const overview = useLoad(() => api.get<Overview>(`/api/admin/sittings/${id}/overview`), [id]);
  const turnout = useLoad(() => api.get<Turnout>(`/api/admin/sittings/${id}/turnout`), [id]);
  const status = sitting.data?.status;
  const results = useLoad(
    () => (isAdmin && status && allows('readResults', status) ? api.get<Pick<SittingResults, 'reconciliation' | 'flags' | 'closeAuditHead'>>(`/api/admin/sittings/${id}/results`) : Promise.resolve(null)),
    [id, status, isAdmin],
  );
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [closeHead, setCloseHead] = useState<string | undefined>(undefined);

  const reloadAll = () => {
    sitting.reload();
    overview.reload();
    turnout.reload();
  };

  const step = async (action: 'rehearse' | 'open' | 'close' | 'publish', title: string, body: string, confirmLabel: string, danger = false) => {
    if (!(await confirmStep({ title, body: <p>{body}</p>, confirmLabel, danger }))) return;
    setError(null);
    try {
      const r = await api.post<{ auditHead?: string }>(`/api/admin/sittings/${id}/${action}`);
      // Only the close response carries the head to print beside the reconciliation; a reopen hides
      // the reconciliation and the next close replaces the head.
      if (action === 'close') setCloseHead(r.auditHead);
      setNotice(title + ' ✓');
      reloadAll();
    } catch (err) {
      setError(errorText(err));
    }
  };

  const clearDry = async () => {
    const ok = await confirmStep({
      title: t('清除演练数据', 'Clear dry run'),
      body: <p>{t('删除本场所有演练票、演练投票及其计数；正式票不受影响。此操作将记入审计日志。', 'Deletes every dry-run slip, dry-run ballot and their counters of this sitting; real slips are untouched. This is recorded in the audit log.')}</p>,
      confirmLabel: t('清除', 'Clear'),
      danger: true,
    });
    if (!ok) return;
    try {
      const r = await api.post<{ cleared: { tokens: number; ballots: number } }>(`/api/admin/sittings/${id}/dry-run/clear`);
      setNotice(t(`已清除演练票 ${r.cleared.tokens} 张、演练投票 ${r.cleared.ballots} 张。`, `Cleared ${r.cleared.tokens} test slips and ${r.cleared.ballots} test ballots.`));
      reloadAll();
    } catch (err) {
      setError(errorText(err));
    }
  };

  if (sitting.error) return <ErrorNote error={sitting.error} />;
  const s = sitting.data;
  const o = overview.data;
  if (!s || !o) return <Loading />;
  const tu = turnout.data;

  return (
    <>
      <p class="crumbs">
        {isAdmin ? <a href={`/admin/assessments/${s.assessmentId}`}>{t('考核', 'Assessment')}</a> : <a href="/admin">{t('我的场次', 'My sittings')}</a>} ›
      </p>
      <h1>
        {s.name} <StatusBadge status={s.status} />
      </h1>
      <p class="states" aria-label={t('状态', 'State')}>
        {(['draft', 'rehearsal', 'open', 'closed', 'published'] as const).map((st, i) => (
          <span key={st} class={st === s.status ? 'current' : ''}>
            {i > 0 && ' → '}
            <StatusBadge status={st} />
          </span>
        ))}
      </p>
      {notice && (
        <p class="ok" role="status">
          {notice}
        </p>
      )}
      <ErrorNote error={error} />
      <div class="actions left">
        <a class="button" href={`/admin/sittings/${id}/turnout`} data-testid="turnout-link">
          {t('实时参评（投影）', 'Live turnout (projector)')}
        </a>
        {isAdmin && allows('readResults', s.status) && (
          <a class="button" href={`/admin/sittings/${id}/results`} data-testid="results-link">
            {t('测评结果', 'Results')}
          </a>
        )}
        {isAdmin && allows('rehearse', s.status) && (
          <button type="button" class="secondary" data-testid="rehearse" onClick={() => step('rehearse', t('开始演练', 'Start the rehearsal'), t('演练阶段只有演练票可以投票，正式票要等正式开始。', 'During the rehearsal only practice slips vote; real slips wait for the opening.'), t('开始演练', 'Rehearse'))}>
            {t('开始演练', 'Rehearse')}
          </button>
        )}
        {isAdmin && allows('open', s.status) && s.status !== 'closed' && (
          <button type="button" class="primary" data-testid="open" onClick={() => step('open', t('开始测评', 'Open the sitting'), t('开始后参评人员即可扫码投票；最小分组 k 将锁定；演练投票将被清除，演练票不能再投票（记入审计日志）。', 'Voters can vote once it is open; k is locked; rehearsal ballots are purged and practice slips stop working (audited).'), t('开始', 'Open'))}>
            {t('开始测评', 'Open sitting')}
          </button>
        )}
        {isAdmin && allows('close', s.status) && (
          <button type="button" class="danger" data-testid="close" onClick={() => step('close', t('结束测评', 'Close the sitting'), t('结束后不再接受任何投票，系统将计票并核对票数。', 'No ballot is accepted after closing; the tally and reconciliation are computed.'), t('结束测评', 'Close'), true)}>
            {t('结束测评', 'Close sitting')}
          </button>
        )}
        {isAdmin && allows('publish', s.status) && (
          <>
            <button type="button" class="secondary" data-testid="reopen" onClick={() => step('open', t('重新开放', 'Reopen'), t(`重新开放将清除已计算的结果，并记入审计日志。再次结束时，若新增选票少于 ${s.k} 张，结果将暂不公布（防止推算个人选票）。`, `Reopening discards the computed results and is recorded in the audit log. If fewer than ${s.k} ballots are added before it closes again, the results are withheld (so no single ballot can be worked out).`), t('重新开放', 'Reopen'))}>
              {t('重新开放', 'Reopen')}
            </button>
            <button type="button" class="primary" data-testid="publish" onClick={() => step('publish', t('公布结果', 'Publish results'), t('公布后本场结果定稿，不能再重新开放。', 'Once published the results are final and the sitting cannot be reopened.'), t('公布', 'Publish'))}>
              {t('公布结果', 'Publish')}
            </button>
          </>
        )}
      </div>

      {results.data && <ReconciliationTable r={results.data.reconciliation} flags={results.data.flags} auditHead={results.data.closeAuditHead ?? closeHead} />}

      <section class="grid-2">
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
              {t('参评人员类别', 'Voter groups')}: {o.groups.map((g) => `${g.name} (${t('权重', 'weight')} ${g.weight})`).join('、')}
            </li>
            <li>
              k = {s.k} · {t('最低参评率', 'minimum turnout')} {Math.round(s.minTurnout * 100)}%
            </li>
          </ul>
        </div>
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
                  {isAdmin && allows('clearRehearsal', s.status) && (
                    <button type="button" class="secondary small" onClick={clearDry} data-testid="clear-dry-run">
                      {t('一键清除演练数据', 'Clear dry run')}
                    </button>
                  )}
                </p>
              )}
            </>
          )}
        </div>
      </section>

      {isAdmin && allows('issueSlips', s.status) && <IssueSlips sittingId={id} groups={o.groups} k={s.k} practice={allows('issuePracticeSlips', s.status)} onIssued={() => (overview.reload(), turnout.reload())} />}

      <section>
        <h2>{t('票批次', 'Slip batches')}</h2>
        {o.batches.length === 0 ? (
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
              {o.batches.map((b) => (
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
                        <PostButton action={`/api/admin/batches/${b.id}/slips`} newTab>
                          {t('打印页', 'Print page')}
                        </PostButton>
                        <PostButton action={`/api/admin/batches/${b.id}/slips.pdf`}>PDF</PostButton>
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

      {isAdmin && <Organisers sittingId={id} assigned={o.organisers} onChanged={overview.reload} />}
    </>
  );
}
