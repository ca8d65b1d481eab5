// exceljs is loaded on the first export, not at start: it holds ~26 MiB of a server's memory
// (measured), and most servers export a few times a year.
import type { BallotForm } from '../../../shared/forms';
import type { SubjectScores, Withholding } from '../../../shared/scoring';
import type { SittingResults } from '../../../shared/sitting';

/**
 * Results as files: CSV (UTF-8 with BOM, formula-injection escaped) and XLSX. Both are built
 * from the stored results of a closed sitting, so they equal what the API returns; per-group
 * breakdowns appear only for groups the small-group rule shows, and scores pool the hidden
 * groups. Withheld results carry the reconciliation and why, never a per-subject number.
 */

type Cell = string | number | null;

/** A spreadsheet application must never evaluate a cell we wrote: text starting with = + - @ tab CR gets a leading '. */
export function escapeFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

export function toCsv(rows: readonly (readonly Cell[])[]): string {
  const cell = (v: Cell) => {
    if (v === null) return '';
    if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
    const s = escapeFormula(v);
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return '\uFEFF' + rows.map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}

const SCORE_COLUMNS: [keyof SubjectScores, string][] = [
  ['democraticScore', '测评得分 democraticScore'],
  ['excellentRate', '优秀率 excellentRate'],
  ['competentOrAboveRate', '称职以上率 competentOrAboveRate'],
  ['basicOrBelowRate', '基本称职及以下率 basicOrBelowRate'],
  ['incompetentRate', '不称职率 incompetentRate'],
  ['politicalScore', '政治素质得分 politicalScore'],
];

export interface ExportInput {
  sittingName: string;
  forms: BallotForm[];
  results: SittingResults;
  /** Subject id → key, for joining with the admins' own lists. */
  keys: ReadonlyMap<number, string>;
  /** The audit log's head (`#<seq>:<hash>`) after this export's own audit entry. */
  auditHead: string;
}

/** The file's witness of the audit log: `audit:verify --head` checks the chain still leads to it. */
export function auditHeadRow(auditHead: string): Cell[] {
  return ['审计链头 audit head', auditHead];
}

/** Every option of every form, in form order, once: the tally columns. */
function optionColumns(forms: BallotForm[]): { value: string; header: string }[] {
  const seen = new Map<string, string>();
  for (const f of forms) for (const q of f.questions) for (const o of q.options) if (!seen.has(o.value)) seen.set(o.value, `${o.label} (${o.value})`);
  return [...seen].map(([value, header]) => ({ value, header }));
}

/** The tally: one row per form, subject and question, with the count of each option. */
export function tallyRows({ forms, results, keys }: ExportInput): Cell[][] {
  const options = optionColumns(forms);
  const header: Cell[] = ['表 form', '编号 key', '对象 subject', '题目 question', '题目编号 questionId', ...options.map((o) => o.header), '有效 valid', '弃权 blank'];
  const rows: Cell[][] = [header];
  for (const formResult of results.forms) {
    const form = forms.find((f) => f.id === formResult.id);
    if (!form) continue;
    for (const subject of formResult.subjects) {
      for (const q of subject.questions) {
        const question = form.questions.find((x) => x.id === q.id);
        rows.push([
          `${form.title} (${form.id})`,
          keys.get(subject.id) ?? String(subject.id),
          subject.name,
          question?.text ?? q.id,
          q.id,
          ...options.map((o) => (o.value in q.counts ? (q.counts[o.value] ?? 0) : null)),
          q.valid,
          q.blank,
        ]);
      }
    }
  }
  return rows;
}

/** Test scores: one row per form and subject. */
export function scoreRows({ forms, results, keys }: ExportInput): Cell[][] {
  const rows: Cell[][] = [['表 form', '编号 key', '对象 subject', ...SCORE_COLUMNS.map(([, h]) => h)]];
  for (const formResult of results.forms) {
    const form = forms.find((f) => f.id === formResult.id);
    for (const subject of formResult.subjects) {
      rows.push([`${form?.title ?? formResult.id} (${formResult.id})`, keys.get(subject.id) ?? String(subject.id), subject.name, ...SCORE_COLUMNS.map(([k]) => {
        const v = subject.scores[k];
        return typeof v === 'number' ? v : null;
      })]);
    }
  }
  return rows;
}

/** Per-group breakdowns, only for the groups shown under the small-group rule. */
export function groupRows({ forms, results, keys }: ExportInput): Cell[][] {
  const rows: Cell[][] = [['表 form', '编号 key', '对象 subject', '参评人员类别 group', '平均分 mean', '票数 counts']];
  for (const formResult of results.forms) {
    const form = forms.find((f) => f.id === formResult.id);
    for (const subject of formResult.subjects) {
      for (const g of subject.byGroup ?? []) {
        rows.push([`${form?.title ?? formResult.id} (${formResult.id})`, keys.get(subject.id) ?? String(subject.id), subject.name, g.group, g.mean, Object.entries(g.counts).map(([k, n]) => `${k}:${n}`).join(' ')]);
      }
    }
  }
  return rows;
}

/** Why there are no per-subject numbers, Chinese then English. */
export function withheldNotice(w: Withholding): [string, string] {
  if (w.reason === 'too_few_ballots') return [`有效票 ${w.ballots} 张，少于 ${w.k} 票，不公布逐项结果。`, `${w.ballots} ballots, fewer than ${w.k}: no per-subject numbers are published.`];
  return [`重新开放后新增 ${w.newBallots} 票，少于 ${w.k} 票，结果暂不公布。`, `Reopened with ${w.newBallots} new ballots, fewer than ${w.k}: results are withheld.`];
}

function summaryRows({ sittingName, results, auditHead }: ExportInput): Cell[][] {
  const r = results.reconciliation;
  return [
    ['测评场次 sitting', sittingName],
    ['状态 status', results.status],
    ['有效票 ballots', results.ballots],
    ['发出 issued', r.issued],
    ['已打印 printed', r.printed],
    ['已使用 used', r.used],
    ['未使用 unused', r.unused],
    ['演练票 dry-run issued', r.dryRun.issued],
    ['演练票已用 dry-run used', r.dryRun.used],
    ['核对一致 balanced', r.balanced ? '是 yes' : '否 no'],
    ['标记 flags', results.flags.join(' ')],
    ['小组阈值 k', results.k],
    ...results.groups.map((g): Cell[] => [`类别 group: ${g.name}`, g.shown ? g.ballots : `< ${results.k}`, `权重 weight ${g.weight}`, ...(g.pooled ? ['与其他隐藏分组合并计分 scored together with the other hidden groups'] : [])]),
    auditHeadRow(auditHead),
  ];
}

/** The notice, then the summary: all a withheld sitting's files may carry. */
function withheldRows(input: ExportInput, w: Withholding): Cell[][] {
  return [['说明 notice', ...withheldNotice(w)], [], ...summaryRows(input)];
}

export function resultsCsv(input: ExportInput): string {
  if (input.results.withheld) return toCsv(withheldRows(input, input.results.withheld));
  // The head goes last, after a blank row, so the tally stays a plain table from row 1.
  return toCsv([...tallyRows(input), [], auditHeadRow(input.auditHead)]);
}

export async function resultsXlsx(input: ExportInput): Promise<Uint8Array> {
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'ceping';
  const w = input.results.withheld;
  const sheets: [string, Cell[][]][] = w
    ? [['核对 Summary', withheldRows(input, w)]]
    : [
        ['计票 Tally', tallyRows(input)],
        ['得分 Scores', scoreRows(input)],
        ['分组 Groups', groupRows(input)],
        ['核对 Summary', summaryRows(input)],
      ];
  for (const [name, rows] of sheets) {
    const sheet = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
    for (const row of rows) sheet.addRow(row);
    sheet.getRow(1).font = { bold: true };
    sheet.columns.forEach((col, i) => {
      col.width = Math.min(40, Math.max(8, ...rows.map((r) => String(r[i] ?? '').length * 1.6)));
    });
  }
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

/** The subjects of an assessment as CSV, with the headers the importer reads. */
export function subjectsCsv(list: { key: string; kind: string; name: string; title: string; category: string | null; type: string | null; teamKey: string | null; role: string | null }[]): string {
  return toCsv([
    ['编号', '对象类型', '姓名', '职务', '类别', '分类', '所属班子', '正职/副职'],
    ...list.map((s) => [s.key, s.kind === 'team' ? '班子' : '干部', s.name, s.title, s.category, s.type, s.teamKey, s.role === 'principal' ? '正职' : s.role === 'deputy' ? '副职' : null]),
  ]);
}
