import type { Ref } from 'preact';
import { memo } from 'preact/compat';
import { say, t } from '../i18n';
import { boxLabels, cellName, formLegend, questionAt, type CellValue, type EntryForm, type EntryLayout, type EntryState } from '../models/paper-entry';

/**
 * The paper ballot on screen, as printed (server/services/slips/paper.ts): one table per form,
 * a row per subject, a column per question, the boxes numbered 1..4 (是/否 for yes/no). The
 * cell being keyed is outlined; ticked boxes carry a ✓; a blank passed over reads 弃权.
 */

interface RowProps {
  form: EntryForm;
  /** The subject's row, from 0. */
  si: number;
  /** The index of the row's first cell in keying order. */
  first: number;
  /** The row's cells, one character each: the option's digit (0-based), or '-' for none. */
  values: string;
  /** The question being keyed in this row, or -1. */
  current: number;
  /** How many of the row's cells the cursor has passed (their blanks read 弃权). */
  passed: number;
  onPick: (index: number) => void;
}

/** One subject's row; memoised on plain values, so a key re-renders only the rows it changes. */
const Row = memo(function Row({ form, si, first, values, current, passed, onPick }: RowProps) {
  const s = form.subjects[si]!;
  return (
    <tr class={current >= 0 ? 'current-row' : ''}>
      <th scope="row" class="subject">
        <span class="no">{si + 1}.</span> {s.name}
        {s.title && <small>{s.title}</small>}
      </th>
      {form.questions.map((q, qi) => {
        const value = values[qi] === '-' ? null : Number(values[qi]);
        const blank = value === null && qi < passed && qi !== current;
        return (
          <td key={q.id} class={`cell${qi === current ? ' current' : ''}${blank ? ' blank' : ''}`} data-cell={first + qi} onClick={() => onPick(first + qi)}>
            {boxLabels(q).map((label, k) => (
              <span key={k} class={value === k ? 'box on' : 'box'}>
                <i aria-hidden="true">{value === k ? '✓' : ''}</i>
                {label}
              </span>
            ))}
            {blank && <span class="abstain">{t('弃权', 'blank')}</span>}
          </td>
        );
      })}
    </tr>
  );
});

const encode = (values: readonly CellValue[], from: number, count: number): string => {
  let out = '';
  for (let i = from; i < from + count; i++) out += values[i] === null || values[i] === undefined ? '-' : String(values[i]);
  return out;
};

function FormTable({ layout, f, entry, onPick }: { layout: EntryLayout; f: number; entry: EntryState; onPick: (index: number) => void }) {
  const form = layout.forms[f]!;
  const offset = layout.offsets[f]!;
  const width = form.questions.length;
  return (
    <section class="paper-form" data-testid={`paper-form-${form.id}`}>
      <h3>
        {t(form.title, form.titleEn)} <small class="muted">{formLegend(form)}</small>
        {form.questions.some((q) => q.kind === 'yesno') && <small class="yesno-keys">{t('是/否 录入：1 = 是，2 = 否', 'yes/no keys: 1 = yes, 2 = no')}</small>}
      </h3>
      <table class="paper-table">
        <thead>
          <tr>
            <th class="subject">{t('序号  姓名 · 职务', 'No. Name · title')}</th>
            {form.questions.map((q) => (
              <th key={q.id} class={q.kind} title={q.textEn}>
                {t(q.text, q.textEn)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {form.subjects.map((s, si) => {
            const first = offset + si * width;
            const current = entry.cursor >= first && entry.cursor < first + width ? entry.cursor - first : -1;
            return <Row key={s.id} form={form} si={si} first={first} values={encode(entry.values, first, width)} current={current} passed={Math.max(0, Math.min(width, entry.reached - first))} onPick={onPick} />;
          })}
        </tbody>
      </table>
    </section>
  );
}

/** Every form of the ballot, then the submit position; the focusable element that takes the keys. */
export function PaperSheet({
  layout,
  entry,
  sheetRef,
  onKeyDown,
  onPick,
  submitLabel,
}: {
  layout: EntryLayout;
  entry: EntryState;
  sheetRef: Ref<HTMLDivElement>;
  onKeyDown: (e: KeyboardEvent) => void;
  onPick: (index: number) => void;
  submitLabel: string;
}) {
  const end = layout.cells.length;
  return (
    <div class="paper-sheet" tabIndex={0} ref={sheetRef} onKeyDown={onKeyDown} data-testid="paper-sheet" aria-label={t('纸质票录入表：用数字键录入', 'Paper ballot: key in with the digit keys')}>
      {layout.forms.map((form, f) => (
        <FormTable key={form.id} layout={layout} f={f} entry={entry} onPick={onPick} />
      ))}
      <div class={entry.cursor === end ? 'submit-row current' : 'submit-row'} data-cell={end} onClick={() => onPick(end)}>
        {submitLabel}
      </div>
    </div>
  );
}

/** Beside the sheet: where the cursor is, the keys of that cell, and what the last key could not do. */
export function CursorPanel({ layout, entry, slip, voterGroup }: { layout: EntryLayout; entry: EntryState; slip: string; voterGroup: string }) {
  const cell = layout.cells[entry.cursor];
  const question = questionAt(layout, entry.cursor);
  const total = layout.cells.length;
  return (
    <aside class="cursor-panel" data-testid="cursor-panel">
      <p class="slip-code" title={t('与纸质票右上角的短码核对', 'Check against the short code on the paper')}>
        {slip} <small>{voterGroup}</small>
      </p>
      <p class="position" data-testid="position">
        {cell ? `${entry.cursor + 1} / ${total}` : t('提交', 'Submit')}
      </p>
      {cell && question ? (
        <>
          <p class="where" data-testid="cursor-cell">
            {say(cellName(layout, cell))}
          </p>
          <ul class="keys" data-testid="cursor-keys">
            {question.options.map((o, i) => (
              <li key={o.value}>
                <kbd>{i + 1}</kbd> {t(o.label, o.labelEn)}
              </li>
            ))}
          </ul>
          <p class="keys muted">
            0 / {t('空格', 'Space')} = {t('弃权', 'blank')}
            {question.required && ` · ${t('必填', 'required')}`}
          </p>
        </>
      ) : (
        <p class="where">{t('全部录完：按 Enter 提交，Backspace 返回修改。', 'All keyed in: Enter submits, Backspace goes back.')}</p>
      )}
      {entry.capture !== null && <p class="hint">{t('正在接收扫码…（Esc 取消）', 'Receiving a scan… (Esc cancels)')}</p>}
      {entry.hint && (
        <p class="hint" role="alert" data-testid="entry-hint">
          {say(entry.hint)}
        </p>
      )}
      <KeyHelp />
      <p class="muted small-text" data-testid="keystrokes">
        {t(`本票按键 ${entry.keystrokes} 次`, `${entry.keystrokes} keys on this ballot`)}
      </p>
    </aside>
  );
}

/** The keys of the desk. */
export function KeyHelp() {
  return (
    <dl class="key-help">
      <dt>1–4</dt>
      <dd>{t('选择（是/否：1 是 2 否）', 'choose (yes/no: 1 yes, 2 no)')}</dd>
      <dt>0 · {t('空格', 'Space')}</dt>
      <dd>{t('弃权', 'blank (abstain)')}</dd>
      <dt>Enter</dt>
      <dd>{t('下一项；最后提交', 'next; at the end, submit')}</dd>
      <dt>Backspace</dt>
      <dd>{t('上一项', 'previous')}</dd>
      <dt>↑ ↓</dt>
      <dd>{t('上一人 / 下一人', 'previous / next subject')}</dd>
      <dt>Esc Esc</dt>
      <dd>{t('放弃本票', 'discard this ballot')}</dd>
    </dl>
  );
}
