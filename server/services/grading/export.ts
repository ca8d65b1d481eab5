// exceljs is loaded on the first export, not at start: it holds ~26 MiB of a server's memory
// (measured), and most servers export a few times a year.
import { GRADE_LABELS, type Grade, type GradingReport } from '../../../shared/grading';
import { auditHeadRow, escapeFormula, toCsv } from '../sittings/export';

/** One row per subject: the final grade beside the engine's proposal, with the override reason. */
function subjectRows(report: GradingReport): (string | number | null)[][] {
  return [
    ['编号 key', '名称 name', '比较范围 pool', '综合得分 composite', '拟定等次 proposed', '确定等次 final', '调整理由 override reason', '规则 reasons'],
    ...report.rows.map((r) => [r.key, r.name, r.poolId, r.composite, GRADE_LABELS[r.proposedGrade].zh, GRADE_LABELS[r.finalGrade].zh, r.overrideReason ?? '', r.reasonCodes.join(' ')]),
  ];
}

/** Counts per grade per category (§7) with the change against the previous year. */
function countRows(report: GradingReport): (string | number | null)[][] {
  const rows: (string | number | null)[][] = [['类别 category', '总数 total', '等次 grade', '确定 final', '拟定 proposed', '优秀率% excellent share', '优秀增减 Δ excellent', '优秀率增减(百分点) Δ share points']];
  for (const g of report.groups) {
    for (const [grade, n] of Object.entries(g.counts) as [Grade, number][]) {
      rows.push([g.group.zh, g.total, GRADE_LABELS[grade].zh, n, g.proposedCounts[grade] ?? 0, g.excellentShare, g.change?.excellentCount ?? null, g.change?.excellentSharePoints ?? null]);
    }
  }
  return rows;
}

/** `auditHead`: the audit log's head (`#<seq>:<hash>`) when the file was made, printed last. */
export function reportCsv(report: GradingReport, auditHead: string): string {
  return toCsv([...countRows(report), [], ...subjectRows(report), [], auditHeadRow(auditHead)]);
}

export async function reportWorkbook(report: GradingReport, auditHead: string): Promise<Uint8Array<ArrayBuffer>> {
  const { default: ExcelJS } = await import('exceljs');
  const book = new ExcelJS.Workbook();
  const safe = (row: (string | number | null)[]) => row.map((v) => (typeof v === 'string' ? escapeFormula(v) : v));
  book.addWorksheet('统计 Counts').addRows([...countRows(report), [], auditHeadRow(auditHead)].map(safe));
  book.addWorksheet('等次 Grades').addRows(subjectRows(report).map(safe));
  return new Uint8Array(await book.xlsx.writeBuffer());
}
