import { useMemo, useState } from 'preact/hooks';
import { useLocation, useRoute } from 'preact-iso';
import { api, byId, call } from '../api';
import type { Subject } from '../api-types';
import { ErrorNote, Loading, StatusBadge, confirmStep, useLoad } from '../components';
import { fieldLabel, t } from '../i18n';
import { useAction } from '../use-action';
import { SubjectImport } from './import';
import { NewSitting } from './new-sitting';

const EDIT_FIELDS = ['key', 'name', 'title', 'category', 'type', 'teamKey'] as const;

function SubjectRow({ subject, onChanged }: { subject: Subject; onChanged: () => void }) {
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState<Subject>(subject);
  const save = useAction(async () => {
    const json = {
      key: draft.key,
      kind: draft.kind,
      name: draft.name,
      title: draft.title,
      category: draft.category || null,
      type: draft.type || null,
      teamKey: draft.teamKey || null,
      role: draft.role,
    };
    await call(api.admin.subjects[':id'].$post({ ...byId(subject.id), json }));
    setEditing(false);
    onChanged();
  });
  const remove = useAction(async () => {
    const ok = await confirmStep({ title: t('删除考核对象', 'Delete subject'), body: <p>{`${subject.key} ${subject.name}`}</p>, confirmLabel: t('删除', 'Delete'), danger: true });
    if (!ok) return;
    await call(api.admin.subjects[':id'].delete.$post(byId(subject.id)));
    onChanged();
  });
  // One error line serves both of the row's buttons.
  const error = save.error ?? remove.error;
  if (!editing) {
    return (
      <tr>
        <td>{subject.key}</td>
        <td>{subject.kind === 'team' ? t('班子', 'team') : t('干部', 'cadre')}</td>
        <td>{subject.name}</td>
        <td>{subject.title}</td>
        <td>{subject.category}</td>
        <td>{subject.type}</td>
        <td>{subject.teamKey}</td>
        <td>{subject.role === 'principal' ? t('正职', 'principal') : subject.role === 'deputy' ? t('副职', 'deputy') : ''}</td>
        <td class="row-actions">
          <button type="button" class="link" onClick={() => (setDraft(subject), setEditing(true))}>
            {t('编辑', 'Edit')}
          </button>
          <button type="button" class="link danger" onClick={() => remove.run()}>
            {t('删除', 'Delete')}
          </button>
          <ErrorNote error={error} />
        </td>
      </tr>
    );
  }
  const input = (field: (typeof EDIT_FIELDS)[number]) => (
    <input aria-label={fieldLabel(field)} value={draft[field] ?? ''} onInput={(e) => setDraft({ ...draft, [field]: e.currentTarget.value })} />
  );
  return (
    <tr class="editing">
      <td>{input('key')}</td>
      <td>
        <select value={draft.kind} onChange={(e) => setDraft({ ...draft, kind: e.currentTarget.value as Subject['kind'] })}>
          <option value="team">{t('班子', 'team')}</option>
          <option value="cadre">{t('干部', 'cadre')}</option>
        </select>
      </td>
      <td>{input('name')}</td>
      <td>{input('title')}</td>
      <td>{input('category')}</td>
      <td>{input('type')}</td>
      <td>{input('teamKey')}</td>
      <td>
        <select value={draft.role ?? ''} onChange={(e) => setDraft({ ...draft, role: (e.currentTarget.value || null) as Subject['role'] })}>
          <option value="">—</option>
          <option value="principal">{t('正职', 'principal')}</option>
          <option value="deputy">{t('副职', 'deputy')}</option>
        </select>
      </td>
      <td class="row-actions">
        <button type="button" class="primary small" onClick={() => save.run()}>
          {t('保存', 'Save')}
        </button>
        <button type="button" class="link" onClick={() => setEditing(false)}>
          {t('取消', 'Cancel')}
        </button>
        <ErrorNote error={error} />
      </td>
    </tr>
  );
}

function SubjectTable({ subjects, onChanged }: { subjects: Subject[]; onChanged: () => void }) {
  const [filter, setFilter] = useState('');
  const shown = useMemo(() => {
    const f = filter.trim();
    return f ? subjects.filter((s) => [s.key, s.name, s.title, s.category, s.type, s.teamKey].some((v) => v?.includes(f))) : subjects;
  }, [subjects, filter]);
  return (
    <>
      <div class="toolbar">
        <input type="search" placeholder={t('筛选：编号、姓名、职务…', 'Filter: key, name, title…')} value={filter} onInput={(e) => setFilter(e.currentTarget.value)} />
        <span class="muted">{t(`共 ${subjects.length} 个，显示 ${shown.length} 个`, `${shown.length} of ${subjects.length}`)}</span>
      </div>
      <div class="table-scroll">
        <table class="list" data-testid="subjects">
          <thead>
            <tr>
              {(['key', 'kind', 'name', 'title', 'category', 'type', 'teamKey', 'role'] as const).map((f) => (
                <th key={f}>{fieldLabel(f)}</th>
              ))}
              <th />
            </tr>
          </thead>
          <tbody>
            {shown.map((s) => (
              <SubjectRow key={s.id} subject={s} onChanged={onChanged} />
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

export function AssessmentPage() {
  const { params } = useRoute();
  const { route } = useLocation();
  const id = Number(params.id);
  const { data, error, reload } = useLoad(() => call(api.admin.assessments[':id'].$get(byId(id))), [id]);
  const [notice, setNotice] = useState<string | null>(null);
  if (error) return <ErrorNote error={error} />;
  if (!data) return <Loading />;
  return (
    <>
      <p class="crumbs">
        <a href="/admin">{t('考核', 'Assessments')}</a> ›
      </p>
      <h1>
        {data.assessment.name} <small class="muted">{data.assessment.year}</small>
      </h1>
      <nav class="grading-links" aria-label={t('等次评定', 'Grading')}>
        <a class="button secondary" href={`/admin/assessments/${id}/inputs`} data-testid="inputs-link">
          {t('考核数据', 'Inputs')}
        </a>
        <a class="button secondary" href={`/admin/assessments/${id}/grading`} data-testid="grading-link">
          {t('等次评定', 'Grading')}
        </a>
        <a class="button secondary" href={`/admin/assessments/${id}/report`} data-testid="report-link">
          {t('统计报告', 'Report')}
        </a>
      </nav>
      <section>
        <h2>{t('测评场次', 'Sittings')}</h2>
        {data.sittings.length === 0 ? (
          <p class="muted">{t('暂无测评场次。', 'No sittings yet.')}</p>
        ) : (
          <table class="list">
            <tbody>
              {data.sittings.map((s) => (
                <tr key={s.id}>
                  <td>
                    <a href={`/admin/sittings/${s.id}`}>{s.name}</a>
                  </td>
                  <td>
                    <StatusBadge status={s.status} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {data.subjects.length > 0 && <NewSitting assessmentId={id} subjects={data.subjects} onCreated={(sittingId) => route(`/admin/sittings/${sittingId}`)} />}
      </section>
      <section>
        <h2>
          {t('考核对象', 'Subjects')} <small class="muted">({data.subjects.length})</small>
        </h2>
        {notice && (
          <p class="ok" role="status" data-testid="import-done">
            {notice}
          </p>
        )}
        <SubjectImport
          assessmentId={id}
          onImported={(n) => {
            setNotice(t(`已导入 ${n} 个考核对象。`, `${n} subjects imported.`));
            reload();
          }}
        />
        <p>
          <a href={api.admin.assessments[':id']['subjects.csv'].$url(byId(id)).pathname} download>
            {t('导出名单 (CSV)', 'Export list (CSV)')}
          </a>
        </p>
        {data.subjects.length > 0 && <SubjectTable subjects={data.subjects} onChanged={reload} />}
      </section>
    </>
  );
}
