import { useState } from 'preact/hooks';
import { useRoute } from 'preact-iso';
import { allows } from '../../../shared/sitting-life';
import { api, byId, call } from '../api';
import { ErrorNote, Loading, StatusBadge, confirmStep, useLoad } from '../components';
import { say, t } from '../i18n';
import { panelsOffered, SITTING_STATES, STEPS, stepsOffered, type SittingStep, type StepDefinition } from '../models/sitting';
import { useAppState } from '../state';
import { useAction } from '../use-action';
import { ReconciliationTable } from './reconciliation';
import { closeSitting } from './close-sitting';
import { SettingsCard, TurnoutCard } from './sitting-cards';
import { SlipBatches } from './sitting-batches';
import { IssueSlips } from './sitting-issue';
import { Organisers } from './sitting-organisers';

/** What POST /api/admin/sittings/:id/<act> answers, for any of the steps. */
type StepAnswer = Awaited<ReturnType<(typeof api.admin.sittings)[':id'][StepDefinition['act']]['$post']>>;

/** One sitting: its state and the steps it offers, slips, turnout, and (once closed) the reconciliation. */
export function SittingPage() {
  const { params } = useRoute();
  const id = Number(params.id);
  const { user } = useAppState();
  const isAdmin = user.value?.role === 'admin';
  const sitting = useLoad(() => call(api.admin.sittings[':id'].$get(byId(id))), [id]);
  const overview = useLoad(() => call(api.admin.sittings[':id'].overview.$get(byId(id))), [id]);
  const turnout = useLoad(() => call(api.admin.sittings[':id'].turnout.$get(byId(id))), [id]);
  const status = sitting.data?.status;
  const results = useLoad(() => (status && panelsOffered(status, isAdmin).resultsLink ? call(api.admin.sittings[':id'].results.$get(byId(id))) : Promise.resolve(null)), [id, status, isAdmin]);
  const [notice, setNotice] = useState<string | null>(null);
  const [closeHead, setCloseHead] = useState<string | undefined>(undefined);

  const reloadAll = () => {
    sitting.reload();
    overview.reload();
    turnout.reload();
  };

  // One action for every step, so the page shows one error: the last step's.
  const act = useAction(async (step: SittingStep | 'clearRehearsal', k: number) => {
    if (step === 'clearRehearsal') {
      const ok = await confirmStep({
        title: t('清除演练数据', 'Clear dry run'),
        body: <p>{t('删除本场所有演练票、演练投票及其计数；正式票不受影响。此操作将记入审计日志。', 'Deletes every dry-run slip, dry-run ballot and their counters of this sitting; real slips are untouched. This is recorded in the audit log.')}</p>,
        confirmLabel: t('清除', 'Clear'),
        danger: true,
      });
      if (!ok) return;
      const r = await call(api.admin.sittings[':id']['dry-run'].clear.$post(byId(id)));
      setNotice(t(`已清除演练票 ${r.cleared.tokens} 张、演练投票 ${r.cleared.ballots} 张。`, `Cleared ${r.cleared.tokens} test slips and ${r.cleared.ballots} test ballots.`));
    } else {
      const def = STEPS[step];
      const title = say(def.title);
      if (!(await confirmStep({ title, body: <p>{say(def.body(k))}</p>, confirmLabel: say(def.confirmLabel), danger: def.danger ?? false }))) return;
      const r = def.act === 'close' ? await closeSitting(id) : await call<StepAnswer>(api.admin.sittings[':id'][def.act].$post(byId(id)));
      if (!r) return;
      // Only the close response carries the head to print beside the reconciliation; a reopen hides
      // the reconciliation and the next close replaces the head.
      if (r.status === 'closed') setCloseHead(r.auditHead);
      setNotice(title + ' ✓');
    }
    reloadAll();
  });

  if (sitting.error) return <ErrorNote error={sitting.error} />;
  const s = sitting.data;
  const o = overview.data;
  if (!s || !o) return <Loading />;
  const panels = panelsOffered(s.status, isAdmin);

  return (
    <>
      <p class="crumbs">
        {isAdmin ? <a href={`/admin/assessments/${s.assessmentId}`}>{t('考核', 'Assessment')}</a> : <a href="/admin">{t('我的场次', 'My sittings')}</a>} ›
      </p>
      <h1>
        {s.name} <StatusBadge status={s.status} />
      </h1>
      <p class="states" aria-label={t('状态', 'State')}>
        {SITTING_STATES.map((st, i) => (
          <span key={st} class={st === s.status ? 'current' : ''} aria-current={st === s.status ? 'step' : undefined}>
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
      <ErrorNote error={act.error} />
      <div class="actions left">
        <a class="button" href={`/admin/sittings/${id}/turnout`} data-testid="turnout-link">
          {t('实时参评（投影）', 'Live turnout (projector)')}
        </a>
        {allows('vote', s.status) && (
          <a class="button secondary" href={`/admin/sittings/${id}/paper`} data-testid="paper-entry-link">
            {t('纸质票录入', 'Paper ballot entry')}
          </a>
        )}
        {panels.resultsLink && (
          <a class="button" href={`/admin/sittings/${id}/results`} data-testid="results-link">
            {t('测评结果', 'Results')}
          </a>
        )}
        {stepsOffered(s.status, isAdmin).map((step) => (
          <button key={step} type="button" class={STEPS[step].buttonClass} data-testid={step} onClick={() => act.run(step, s.k)}>
            {say(STEPS[step].button)}
          </button>
        ))}
      </div>

      {results.data && <ReconciliationTable r={results.data.reconciliation} flags={results.data.flags} auditHead={results.data.closeAuditHead ?? closeHead} />}

      <section class="grid-2">
        <SettingsCard sitting={s} groups={o.groups} />
        <TurnoutCard turnout={turnout.data} onClearRehearsal={panels.clearRehearsal ? () => act.run('clearRehearsal', s.k) : undefined} />
      </section>

      {panels.issueSlips && <IssueSlips sittingId={id} groups={o.groups} k={s.k} practice={panels.practiceSlips} onIssued={() => (overview.reload(), turnout.reload())} />}

      <SlipBatches batches={o.batches} />

      {panels.organisers && <Organisers sittingId={id} assigned={o.organisers} onChanged={overview.reload} />}
    </>
  );
}
