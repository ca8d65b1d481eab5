import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { ApiFailure } from './api';
import { ErrorNote } from './components';
import { t } from './i18n';
import { useAction } from './use-action';

/**
 * A spreadsheet import in two steps: choosing a file previews it on the server (nothing is
 * saved, every bad row comes back), then saving uploads the same file for real. A refusal at
 * save time (422 invalid_import) becomes the preview again, so the bad rows stay in view.
 */
export function useFileImport<P, R>(send: { preview: (file: File) => Promise<P>; save: (file: File) => Promise<R> }, onSaved: (result: R) => void, fromRefusal: (details: unknown, last: P | null) => P) {
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<P | null>(null);
  const step = useAction(async (work: () => Promise<void>) => {
    try {
      await work();
    } catch (err) {
      if (err instanceof ApiFailure && err.code === 'invalid_import') setPreview(fromRefusal(err.details, preview));
      throw err;
    }
  });

  const choose = (e: Event) => {
    const input = e.currentTarget as HTMLInputElement;
    const chosen = input.files?.[0] ?? null;
    input.value = '';
    setFile(chosen);
    setPreview(null);
    step.clearError();
    if (chosen) void step.run(async () => setPreview(await send.preview(chosen)));
  };

  const save = () => {
    if (!file) return;
    void step.run(async () => {
      const result = await send.save(file);
      setFile(null);
      setPreview(null);
      onSaved(result);
    });
  };

  return { file, preview, error: step.error, busy: step.busy, choose, save };
}

/** The file input, the chosen file's name and the import's error. */
export function FileChooser({ name, file, error, disabled, onChange, testId }: { name: string; file: File | null; error: string | null; disabled: boolean; onChange: (e: Event) => void; testId?: string }) {
  return (
    <>
      <label class="file">
        <span>{t('选择文件…', 'Choose file…')}</span>
        <input type="file" name={name} accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" onChange={onChange} disabled={disabled} data-testid={testId} />
      </label>
      {file && <span class="filename">{file.name}</span>}
      <ErrorNote error={error} />
    </>
  );
}

export interface ProblemRow {
  row: number;
  column: string;
  text: string;
}

/** What a preview found: the summary line, every bad row, and (when all is well) what follows. */
export function ImportReport({ testIdPrefix, total, problems, children }: { testIdPrefix: string; total: number; problems: ProblemRow[]; children?: ComponentChildren }) {
  const ok = problems.length === 0;
  return (
    <div class="preview" data-testid={`${testIdPrefix}-preview`}>
      <p class={ok ? 'ok' : 'error'} data-testid={`${testIdPrefix}-summary`}>
        {ok
          ? t(`共 ${total} 行，全部正确。`, `${total} rows, all correct.`)
          : t(`共 ${total} 行，发现 ${problems.length} 处错误，未保存任何内容。请修改文件后重新选择。`, `${total} rows, ${problems.length} problems found; nothing was saved. Fix the file and choose it again.`)}
      </p>
      {!ok && (
        <table class="list problems" data-testid={`${testIdPrefix}-problems`}>
          <thead>
            <tr>
              <th>{t('行', 'Row')}</th>
              <th>{t('列', 'Column')}</th>
              <th>{t('问题', 'Problem')}</th>
            </tr>
          </thead>
          <tbody>
            {problems.map((p, i) => (
              <tr key={i} data-row={p.row}>
                <td>{p.row}</td>
                <td>{p.column}</td>
                <td>{p.text}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {ok && children}
    </div>
  );
}
