import { useMemo, useState } from 'preact/hooks';
import { say, t } from '../i18n';
import { inputsCells, shownSubjects, type InputsShown } from '../models/inputs';
import type { InputsRow, Subject } from '../api-types';
import { usePage } from './grading-common';
import { InputsForm } from './inputs-form';

/** Every subject with its entered scores and facts, searchable, a page at a time; a row opens its form. */
export function InputsTable({ assessmentId, subjects, inputs, frozen, onSaved }: { assessmentId: number; subjects: Subject[]; inputs: Map<string, InputsRow>; frozen: boolean; onSaved: (key: string) => void }) {
  const [search, setSearch] = useState('');
  const [only, setOnly] = useState<InputsShown>('');
  const [editing, setEditing] = useState<string | null>(null);
  const shown = useMemo(() => shownSubjects(subjects, inputs, search, only), [subjects, inputs, search, only]);
  const { rows, pager } = usePage(shown, 50);
  return (
    <>
      <div class="toolbar">
        <input type="search" placeholder={t('搜索：编号、姓名、职务…', 'Search: key, name, title…')} value={search} onInput={(e) => setSearch(e.currentTarget.value)} data-testid="inputs-search" />
        <select aria-label={t('只看', 'Only')} value={only} onChange={(e) => setOnly(e.currentTarget.value as InputsShown)}>
          <option value="">{t('全部对象', 'All subjects')}</option>
          <option value="facts">{t('只看有有关情况的', 'With facts only')}</option>
          <option value="missing">{t('只看未录入的', 'Not entered only')}</option>
        </select>
        <span class="muted">{t(`共 ${subjects.length} 个，已录入 ${inputs.size} 个，显示 ${shown.length} 个`, `${subjects.length} subjects, ${inputs.size} entered, ${shown.length} shown`)}</span>
      </div>
      {pager}
      <div class="table-scroll">
        <table class="list compact inputs" data-testid="inputs">
          <thead>
            <tr>
              <th>{t('考核对象', 'Subject')}</th>
              <th class="num">{t('平时考核', 'Routine')}</th>
              <th class="num">{t('工作实绩', 'Performance')}</th>
              <th class="num">{t('部门评价', 'Departments')}</th>
              <th class="num">{t('上级评价', 'Superior')}</th>
              <th class="num">{t('全会测评', 'Plenary')}</th>
              <th class="num">{t('民主测评', 'Democratic')}</th>
              <th class="num">{t('政治素质', 'Political')}</th>
              <th>{t('脱贫攻坚', 'Poverty')}</th>
              <th>{t('有关情况', 'Facts')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {rows.map((s) => {
              const row = inputs.get(s.key);
              const cells = inputsCells(row);
              return [
                <tr key={s.key} data-testid="inputs-row" data-key={s.key}>
                  <td>
                    <strong>{s.name}</strong>
                    <div class="muted small-text">
                      {s.key} {s.title}
                    </div>
                  </td>
                  <td class="num" title={cells.routineDetail}>
                    {cells.routine}
                  </td>
                  <td class="num" title={cells.performanceDetail}>
                    {cells.performance}
                  </td>
                  <td class="num" title={cells.departmentsDetail}>
                    {cells.departments}
                  </td>
                  <td class="num">{cells.superior}</td>
                  <td class="num">{cells.plenary}</td>
                  <td class="num">{cells.democratic}</td>
                  <td class="num">{cells.politicalQuality}</td>
                  <td>{say(cells.poverty)}</td>
                  <td class="facts">
                    {cells.facts.map((f) => (
                      <span key={f.zh} class="badge fact">
                        {say(f)}
                      </span>
                    ))}
                  </td>
                  <td>
                    {!frozen && (
                      <button type="button" class="link" onClick={() => setEditing(editing === s.key ? null : s.key)} data-testid="inputs-edit">
                        {t('编辑', 'Edit')}
                      </button>
                    )}
                  </td>
                </tr>,
                editing === s.key && (
                  <tr key={`${s.key}-form`} class="editing">
                    <td colSpan={11}>
                      <InputsForm
                        assessmentId={assessmentId}
                        subject={s}
                        row={row}
                        onCancel={() => setEditing(null)}
                        onSaved={() => {
                          setEditing(null);
                          onSaved(s.key);
                        }}
                      />
                    </td>
                  </tr>
                ),
              ];
            })}
          </tbody>
        </table>
      </div>
      {pager}
    </>
  );
}
