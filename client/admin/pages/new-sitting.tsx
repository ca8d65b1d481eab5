import { useMemo, useState } from 'preact/hooks';
import type * as z from 'zod/mini';
import type { FormSettingsSchema } from '../../../shared/api';
import { api, byId, call } from '../api';
import type { Subject } from '../api-types';
import { ErrorNote } from '../components';
import { t } from '../i18n';
import { useAction } from '../use-action';

type FormKind = z.infer<typeof FormSettingsSchema>['kind'];

interface FormChoice {
  on: boolean;
  /** Top-rating cap in percent of subjects (team / cadre); empty for none. */
  cap: string;
  dimensions: boolean;
}

const FORM_NAMES: Record<FormKind, [string, string]> = {
  team: ['领导班子测评（好/较好/一般/差）', 'Team form (good … poor)'],
  cadre: ['领导干部测评（优秀/称职/基本称职/不称职）', 'Cadre form (excellent … incompetent)'],
  political: ['政治素质测评（正向/反向）', 'Political quality (positive / negative items)'],
};

/** Create a sitting: forms (with the top-rating cap), subjects, voter groups with weights, k and minimum turnout. */
export function NewSitting({ assessmentId, subjects, onCreated }: { assessmentId: number; subjects: Subject[]; onCreated: (id: number) => void }) {
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('');
  const [forms, setForms] = useState<Record<FormKind, FormChoice>>({
    team: { on: subjects.some((s) => s.kind === 'team'), cap: '', dimensions: false },
    cadre: { on: subjects.some((s) => s.kind === 'cadre'), cap: '30', dimensions: false },
    political: { on: false, cap: '', dimensions: false },
  });
  const [chosen, setChosen] = useState<Set<string>>(() => new Set(subjects.map((s) => s.key)));
  const [filter, setFilter] = useState('');
  const [groups, setGroups] = useState([
    { name: '上级', weight: '30' },
    { name: '同级', weight: '30' },
    { name: '下级', weight: '40' },
  ]);
  const [k, setK] = useState('5');
  const [minTurnout, setMinTurnout] = useState('67');
  const create = useAction(async () => {
    const formList = (Object.keys(forms) as FormKind[])
      .filter((kind) => forms[kind].on)
      .map((kind) => {
        const f = forms[kind];
        const cap = Number(f.cap);
        return { kind, ...(kind !== 'political' && f.cap !== '' && cap > 0 ? { maxTopShare: Math.min(1, cap / 100) } : {}), ...(f.dimensions ? { dimensions: true } : {}) };
      });
    const json = {
      name,
      forms: formList,
      subjectKeys: subjects.filter((s) => chosen.has(s.key)).map((s) => s.key),
      voterGroups: groups.filter((g) => g.name.trim()).map((g) => ({ name: g.name.trim(), weight: Number(g.weight) })),
      k: Number(k),
      minTurnout: Number(minTurnout) / 100,
    };
    const r = await call(api.admin.assessments[':id'].sittings.$post({ ...byId(assessmentId), json }));
    onCreated(r.id);
  });

  const visible = useMemo(() => {
    const f = filter.trim();
    return f ? subjects.filter((s) => [s.key, s.name, s.title, s.category, s.type].some((v) => v?.includes(f))) : subjects;
  }, [subjects, filter]);

  if (!open) {
    return (
      <button type="button" class="primary" onClick={() => setOpen(true)} data-testid="new-sitting">
        {t('新建测评场次', 'New sitting')}
      </button>
    );
  }

  const toggleAll = (on: boolean) => {
    const next = new Set(chosen);
    for (const s of visible) on ? next.add(s.key) : next.delete(s.key);
    setChosen(next);
  };

  return (
    <form class="card new-sitting" onSubmit={(e) => (e.preventDefault(), create.run())} data-testid="new-sitting-form">
      <h3>{t('新建测评场次', 'New sitting')}</h3>
      <label>
        {t('场次名称', 'Name')}
        <input name="sittingName" value={name} onInput={(e) => setName(e.currentTarget.value)} required maxLength={200} />
      </label>
      <fieldset>
        <legend>{t('测评表', 'Forms')}</legend>
        {(Object.keys(forms) as FormKind[]).map((kind) => (
          <div class="form-choice" key={kind}>
            <label class="check">
              <input type="checkbox" name={`form-${kind}`} checked={forms[kind].on} onChange={(e) => setForms({ ...forms, [kind]: { ...forms[kind], on: e.currentTarget.checked } })} />
              {t(...FORM_NAMES[kind])}
            </label>
            {kind !== 'political' && forms[kind].on && (
              <>
                <label class="narrow">
                  {t('最高等次上限 %', 'Top-rating cap %')}
                  <input type="number" min={1} max={100} value={forms[kind].cap} onInput={(e) => setForms({ ...forms, [kind]: { ...forms[kind], cap: e.currentTarget.value } })} placeholder={t('不限', 'none')} />
                </label>
                <label class="check">
                  <input type="checkbox" checked={forms[kind].dimensions} onChange={(e) => setForms({ ...forms, [kind]: { ...forms[kind], dimensions: e.currentTarget.checked } })} />
                  {t('分项评价', 'Per-dimension questions')}
                </label>
              </>
            )}
          </div>
        ))}
      </fieldset>
      <fieldset>
        <legend>
          {t('考核对象', 'Subjects')} ({chosen.size}/{subjects.length})
        </legend>
        <div class="toolbar">
          <input type="search" placeholder={t('筛选', 'Filter')} value={filter} onInput={(e) => setFilter(e.currentTarget.value)} />
          <button type="button" class="secondary small" onClick={() => toggleAll(true)}>
            {t('全选', 'Select all')}
          </button>
          <button type="button" class="secondary small" onClick={() => toggleAll(false)}>
            {t('全不选', 'Select none')}
          </button>
        </div>
        <div class="subject-picker">
          {visible.map((s) => (
            <label class="check" key={s.key}>
              <input
                type="checkbox"
                checked={chosen.has(s.key)}
                onChange={(e) => {
                  const next = new Set(chosen);
                  e.currentTarget.checked ? next.add(s.key) : next.delete(s.key);
                  setChosen(next);
                }}
              />
              <span class="muted">{s.key}</span> {s.name} <span class="muted">{s.title}</span>
            </label>
          ))}
        </div>
      </fieldset>
      <fieldset>
        <legend>{t('参评人员类别与权重', 'Voter groups and weights')}</legend>
        {groups.map((g, i) => (
          <div class="group-row" key={i}>
            <input aria-label={t('类别', 'Group')} value={g.name} maxLength={40} onInput={(e) => setGroups(groups.map((x, j) => (j === i ? { ...x, name: e.currentTarget.value } : x)))} />
            <input aria-label={t('权重', 'Weight')} type="number" min={0} max={1000} step="any" value={g.weight} onInput={(e) => setGroups(groups.map((x, j) => (j === i ? { ...x, weight: e.currentTarget.value } : x)))} />
            <button type="button" class="link danger" onClick={() => setGroups(groups.filter((_, j) => j !== i))} disabled={groups.length <= 1}>
              {t('移除', 'Remove')}
            </button>
          </div>
        ))}
        <button type="button" class="secondary small" onClick={() => setGroups([...groups, { name: '', weight: '0' }])} disabled={groups.length >= 10}>
          {t('添加类别', 'Add group')}
        </button>
      </fieldset>
      <div class="inline-form">
        <label class="narrow">
          {t('最小分组 k', 'Smallest group shown (k)')}
          <input type="number" min={2} max={100} value={k} onInput={(e) => setK(e.currentTarget.value)} />
        </label>
        <label class="narrow">
          {t('最低参评率 %', 'Minimum turnout %')}
          <input type="number" min={0} max={100} value={minTurnout} onInput={(e) => setMinTurnout(e.currentTarget.value)} />
        </label>
      </div>
      <ErrorNote error={create.error} />
      <div class="actions">
        <button type="button" class="secondary" onClick={() => setOpen(false)}>
          {t('取消', 'Cancel')}
        </button>
        <button type="submit" class="primary" data-testid="create-sitting">
          {t('创建（草稿）', 'Create (draft)')}
        </button>
      </div>
    </form>
  );
}
