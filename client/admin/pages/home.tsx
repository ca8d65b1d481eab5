import { useEffect, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { api, call } from '../api';
import type { DemoProvince, SittingListed } from '../api-types';
import { ErrorNote, Loading, StatusBadge, confirmStep, useLoad } from '../components';
import { t } from '../i18n';
import { useAppState } from '../state';
import { useAction } from '../use-action';

function SittingList({ sittings }: { sittings: SittingListed[] }) {
  if (sittings.length === 0) return <p class="muted">{t('暂无测评场次。', 'No sittings yet.')}</p>;
  return (
    <table class="list">
      <thead>
        <tr>
          <th>{t('测评场次', 'Sitting')}</th>
          <th>{t('考核', 'Assessment')}</th>
          <th>{t('状态', 'Status')}</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {sittings.map((s) => (
          <tr key={s.id}>
            <td>
              <a href={`/admin/sittings/${s.id}`}>{s.name}</a>
            </td>
            <td>
              {s.assessmentName} ({s.year})
            </td>
            <td>
              <StatusBadge status={s.status} />
            </td>
            <td class="row-actions">
              <a href={`/admin/sittings/${s.id}/turnout`}>{t('实时参评', 'Live turnout')}</a>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function NewAssessment({ onCreated }: { onCreated: (id: number) => void }) {
  const [name, setName] = useState('');
  const [year, setYear] = useState(String(new Date().getFullYear()));
  const create = useAction(async () => {
    const r = await call(api.admin.assessments.$post({ json: { name, year: Number(year) } }));
    onCreated(r.id);
  });
  return (
    <form class="inline-form" onSubmit={(e) => (e.preventDefault(), create.run())}>
      <label>
        {t('考核名称', 'Name')}
        <input name="assessmentName" value={name} onInput={(e) => setName(e.currentTarget.value)} required maxLength={200} placeholder={t('例：2026年度省管领导班子和领导干部考核', 'e.g. 2026 annual assessment')} />
      </label>
      <label class="narrow">
        {t('年度', 'Year')}
        <input name="year" type="number" min={1949} max={2200} value={year} onInput={(e) => setYear(e.currentTarget.value)} required />
      </label>
      <button type="submit" class="primary">
        {t('新建考核', 'Create assessment')}
      </button>
      <ErrorNote error={create.error} />
    </form>
  );
}

/** 载入演示省份: two graded years at the seed's scale, in one step (it takes a few seconds). */
function DemoProvince({ onLoaded }: { onLoaded: () => void }) {
  const [seconds, setSeconds] = useState(0);
  const [loaded, setLoaded] = useState<DemoProvince | null>(null);
  const demo = useAction(async () => {
    setSeconds(0);
    setLoaded(await call(api.admin['demo-province'].$post()));
    onLoaded();
  });
  const busy = demo.busy;
  useEffect(() => {
    if (!busy) return;
    const started = Date.now();
    const timer = setInterval(() => setSeconds(Math.floor((Date.now() - started) / 1000)), 250);
    return () => clearInterval(timer);
  }, [busy]);
  const load = async () => {
    const ok = await confirmStep({
      title: t('载入演示省份', 'Load the demo province'),
      body: (
        <p>
          {t(
            '新建两个演示考核（上一年度已评定并公布，本年度已评定待审核），共 220 个领导班子和 1,847 名领导干部。需要几秒钟。',
            'Creates two demo assessments (the previous year graded and published, the current year graded and waiting for review): 220 teams and 1,847 cadres. It takes a few seconds.',
          )}
        </p>
      ),
      confirmLabel: t('载入', 'Load'),
    });
    if (ok) await demo.run();
  };
  return (
    <div class="demo">
      <button type="button" class="secondary" onClick={load} disabled={busy} data-testid="demo-province">
        {t('载入演示省份', 'Load demo province')}
      </button>
      {busy && (
        <span class="progress" role="status" data-testid="demo-progress">
          <progress />
          {t(`正在生成并评定两个年度的考核……已用 ${seconds} 秒`, `Generating and grading two years… ${seconds} s`)}
        </span>
      )}
      <ErrorNote error={demo.error} />
      {loaded && (
        <p class="ok" role="status" data-testid="demo-loaded">
          {t('已载入演示省份：', 'Demo province loaded: ')}
          <a href={`/admin/assessments/${loaded.previousId}/report`} data-testid="demo-previous">
            {t('上一年度（已公布）', 'previous year (published)')}
          </a>
          {t('，', ', ')}
          <a href={`/admin/assessments/${loaded.currentId}/report`} data-testid="demo-current">
            {t('本年度（待审核）', 'current year (to review)')}
          </a>
        </p>
      )}
    </div>
  );
}

export function HomePage() {
  const { user } = useAppState();
  const { route } = useLocation();
  const isAdmin = user.value?.role === 'admin';
  const sittings = useLoad(() => call(api.admin.sittings.$get()), []);
  const assessments = useLoad(() => (isAdmin ? call(api.admin.assessments.$get()) : Promise.resolve({ assessments: [] })), [isAdmin]);

  return (
    <>
      {isAdmin && (
        <section>
          <h1>{t('考核', 'Assessments')}</h1>
          <ErrorNote error={assessments.error} />
          {assessments.data ? (
            <ul class="cards">
              {assessments.data.assessments.map((a) => (
                <li key={a.id}>
                  <a href={`/admin/assessments/${a.id}`}>
                    <strong>{a.name}</strong>
                    <span class="muted">{a.year}</span>
                  </a>
                </li>
              ))}
            </ul>
          ) : (
            <Loading />
          )}
          <NewAssessment onCreated={(id) => route(`/admin/assessments/${id}`)} />
          <DemoProvince onLoaded={assessments.reload} />
        </section>
      )}
      <section>
        <h1>{isAdmin ? t('全部测评场次', 'All sittings') : t('我负责的测评场次', 'My sittings')}</h1>
        <ErrorNote error={sittings.error} />
        {sittings.data ? <SittingList sittings={sittings.data.sittings} /> : <Loading />}
      </section>
    </>
  );
}
