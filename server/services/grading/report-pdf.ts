import { GRADE_LABELS, gradesOf, type Grade, type GradingReport, type GradingResult, type GroupCounts, type ReportGroup, type SubjectKind, type SubjectResult } from '../../../shared/grading';
import { TYPE_LABELS } from '../../../shared/grading/glossary';
import { inGroup } from '../../../shared/grading/report';
import { MM, pdfDocument } from '../slips/pdf-kit';
import { gradeChart } from './report-chart';
import { A4, CONTENT_WIDTH, Flow, MARGIN, measure, table, write, type Column, type Pen } from './report-flow';

/**
 * The report for the committee (省委常委会) as an A4 PDF (GRADING.md §7): what it reviews and
 * approves before the 讲评大会. Page 1 names the assessment, the run and policy it comes from
 * and the audit head; then the §7 counts per category with the change on last year, a chart per
 * category, the lists of the grades that need the committee's attention with their reasons,
 * and the overrides with theirs. Chinese throughout; black and white.
 */

export interface ReportPdfInput {
  assessment: { name: string; year: number };
  run: { id: number; createdAt: number; createdBy: string; published: boolean };
  /** This year's §7 report (final grades, after overrides). */
  report: GradingReport;
  /** Last year's published report: its counts per grade are the chart's second bars. */
  previous?: GradingReport | undefined;
  /** The run's result: each subject's reasons, team and post. */
  result: GradingResult;
  /** `#<seq>:<hash>`, read after this export's own audit entry. */
  auditHead: string;
  printedAt: number;
}

/** The grades listed by name for the committee: every grade but the ordinary ones (良好, 称职). */
const LISTED: Record<SubjectKind, readonly Grade[]> = {
  team: ['excellent', 'average', 'poor'],
  cadre: ['excellent', 'basically_competent', 'incompetent', 'undetermined'],
};
const UNIT: Record<SubjectKind, string> = { team: '个', cadre: '人' };
const ROLE = { principal: '正职', deputy: '副职' } as const;
const NUMERALS = '一二三四五六七八九十';
/** How the print scale of shared/rating-scale.ts reads, best grade first. */
const SCALE_NOTE = '本年柱的灰度与纹样按等次由优到差：深灰、中灰、浅灰斜线、白底交叉线，不定等次为白底圆点。';

const BEIJING = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Shanghai', year: 'numeric', month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

/** Beijing time: the province's clock, whatever the server's zone. */
function beijing(ms: number, withTime: boolean): string {
  const parts = Object.fromEntries(
    BEIJING.formatToParts(new Date(ms))
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}年${Number(parts.month)}月${Number(parts.day)}日${withTime ? ` ${parts.hour}:${parts.minute}（北京时间）` : ''}`;
}

const signed = (n: number, digits = 0) => `${n > 0 ? '+' : n < 0 ? '−' : '±'}${Math.abs(n).toFixed(digits)}`;

/** A group inside another (贫困县领导班子 within 省管领导班子): a "其中" row, listed by name under its parent. */
function within(inner: ReportGroup, outer: ReportGroup): boolean {
  return inner.id !== outer.id && inner.kind === outer.kind
    && (['category', 'role', 'povertyCounty'] as const).every((f) => outer[f] === undefined || outer[f] === inner[f]);
}
const nested = (g: ReportGroup, all: readonly GroupCounts[]) => all.some((o) => within(g, o.group) && !within(o.group, g));

/** A heading and its note, kept on the page with `keep` of what follows (a table's first rows, a chart). */
function heading(flow: Flow, pen: Pen, text: string, options: { size?: number; note?: string; keep?: number } = {}): void {
  const size = options.size ?? 12;
  const note = { size: 8.5, color: '#222', lineGap: 2 };
  const head = measure(pen, text, CONTENT_WIDTH, { size }) + 2 * MM;
  const height = head + (options.note ? measure(pen, options.note, CONTENT_WIDTH, note) + 1.5 * MM : 0);
  flow.gap(3 * MM);
  flow.block(height, (y) => {
    write(pen, text, MARGIN.x, y, CONTENT_WIDTH, { size });
    if (options.note) write(pen, options.note, MARGIN.x, y + head, CONTENT_WIDTH, note);
  }, options.keep ?? 30 * MM);
}

function paragraph(flow: Flow, pen: Pen, text: string, size = 8.5, color = '#222', font?: string): void {
  const style = { size, color, lineGap: 2, ...(font ? { font } : {}) };
  flow.block(measure(pen, text, CONTENT_WIDTH, style) + 1.5 * MM, (y) => write(pen, text, MARGIN.x, y, CONTENT_WIDTH, style));
}

function titlePage(flow: Flow, pen: Pen, input: ReportPdfInput): void {
  const { report, run } = input;
  const title = input.assessment.name;
  const h1 = measure(pen, title, CONTENT_WIDTH, { size: 16 }) + 3 * MM;
  flow.block(h1, (y) => write(pen, title, MARGIN.x, y, CONTENT_WIDTH, { size: 16, align: 'center' }));
  flow.block(9 * MM, (y) => write(pen, '考核结果报告（提请省委常委会审定）', MARGIN.x, y, CONTENT_WIDTH, { size: 12.5, align: 'center' }));
  flow.block(7 * MM, (y) => write(pen, 'Assessment report for the provincial standing committee', MARGIN.x, y, CONTENT_WIDTH, { size: 8, align: 'center', color: '#444' }));
  const facts: [string, string, string?][] = [
    ['报告日期', beijing(input.printedAt, true)],
    ['考核年度', `${input.assessment.year}年`],
    ['评定政策', `${report.policyId} 第 ${report.policyVersion} 版`],
    ['评定运行', `第 ${run.id} 号运行，${beijing(run.createdAt, true)}，操作人 ${run.createdBy}`],
    ['结果状态', run.published ? '已发布（结果冻结）' : '待审定，尚未发布'],
    ['对比年度', input.previous ? `${input.previous.year}年（已发布结果）` : '无上年已发布结果'],
    ['审计链头', input.auditHead, 'Courier'],
  ];
  flow.gap(2 * MM);
  const labelWidth = 20 * MM;
  for (const [label, value, font] of facts) {
    const style = { size: font ? 7.6 : 9, ...(font ? { font } : {}) };
    const height = Math.max(measure(pen, value, CONTENT_WIDTH - labelWidth, style), measure(pen, label, labelWidth, { size: 9 })) + 1.8 * MM;
    flow.block(height, (y) => {
      write(pen, label, MARGIN.x, y, labelWidth, { size: 9, color: '#333' });
      // Courier's ascent (0.63 em) is far below the CJK font's (1.16 em): lowered onto the label's baseline.
      write(pen, value, MARGIN.x + labelWidth, y + (font ? 5.6 : 0), CONTENT_WIDTH - labelWidth, style);
    });
  }
  paragraph(flow, pen, '审计链头为本次导出记入审计日志之后的链头（含本次导出记录）；日后核验审计日志时，链中须仍含此记录，否则日志已被改动。');
}

/** §7: counts per grade per category, with the 优秀 share and its change on last year. */
function countsTables(flow: Flow, pen: Pen, report: GradingReport): void {
  heading(flow, pen, '一、各类别考核等次统计');
  for (const kind of ['team', 'cadre'] as const) {
    const groups = report.groups.filter((g) => g.group.kind === kind);
    if (groups.length === 0) continue;
    const grades = gradesOf(kind);
    // Widths in mm, each wide enough for its longest figure ("259/1747") on one line.
    const w = kind === 'team' ? { first: 44, total: 12, grade: 14, share: 15, before: 17, change: 14 } : { first: 37, total: 11, grade: 13.5, share: 14, before: 17, change: 12 };
    const lastWidth = CONTENT_WIDTH - (w.first + w.total + grades.length * w.grade + w.share + w.before + w.change) * MM;
    const n = (v: number | undefined) => String(v ?? 0);
    const columns: Column<GroupCounts>[] = [
      { header: '类别', width: w.first * MM, text: (g) => (nested(g.group, report.groups) ? `其中：${g.group.zh}` : g.group.zh) },
      { header: '总数', width: w.total * MM, align: 'right', text: (g) => n(g.total) },
      ...grades.map((grade): Column<GroupCounts> => ({ header: GRADE_LABELS[grade].zh, width: w.grade * MM, align: 'right', text: (g) => n(g.counts[grade]) })),
      { header: '优秀率', width: w.share * MM, align: 'right', text: (g) => `${g.excellentShare.toFixed(2)}%` },
      { header: '上年\n优秀', width: w.before * MM, align: 'right', text: (g) => (g.change ? `${g.change.previousExcellent}/${g.change.previousTotal}` : '—') },
      { header: '优秀\n增减', width: w.change * MM, align: 'right', text: (g) => (g.change ? signed(g.change.excellentCount) : '—') },
      { header: '优秀率\n增减', width: lastWidth, align: 'right', text: (g) => (g.change ? signed(g.change.excellentSharePoints, 2) : '—') },
    ];
    table(flow, pen, { caption: kind === 'team' ? '领导班子（单位：个）' : '领导干部（单位：人）', columns, rows: groups });
    flow.gap(2 * MM);
  }
  paragraph(flow, pen, '按确定等次统计（含人工调整，见第四部分）；“其中”行的对象已计入上一行。上年优秀为上年优秀数/上年总数；优秀率增减为两年优秀率之差，以百分点计。');
}

function charts(flow: Flow, pen: Pen, input: ReportPdfInput): void {
  const { report, previous } = input;
  const height = 50 * MM;
  heading(flow, pen, `二、等次分布图（${report.year}年与上年对比）`, {
    note: previous
      ? `每组左柱（虚线框）为${previous.year}年，右柱为${report.year}年；${SCALE_NOTE}柱上数字为个数（人数）。`
      : `柱为${report.year}年，无上年已发布结果可比；${SCALE_NOTE}柱上数字为个数（人数）。`,
    keep: height + 3 * MM,
  });
  for (const g of report.groups) {
    const before = previous?.groups.find((p) => p.group.id === g.group.id);
    const unit = UNIT[g.group.kind];
    const bars = gradesOf(g.group.kind).map((grade) => ({ grade, current: g.counts[grade] ?? 0, ...(before ? { previous: before.counts[grade] ?? 0 } : {}) }));
    const title = `${g.group.zh}（${g.total}${unit}${before ? `，上年${before.total}${unit}` : ''}）`;
    flow.gap(3 * MM);
    flow.block(height, (y) => gradeChart(pen, { x: MARGIN.x, y, width: CONTENT_WIDTH, height }, bars, { title, current: `${report.year}年`, previous: `${previous?.year ?? report.year - 1}年` }));
  }
}

interface Named {
  subject: SubjectResult;
  index: number;
}

function subjectColumns(teams: Map<string, string>): Column<Named>[] {
  return [
    { header: '序号', width: 8 * MM, align: 'right', text: (r) => String(r.index) },
    { header: '名称 · 单位职务', width: 45 * MM, text: (r) => r.subject.name, sub: (r) => unitOf(r.subject, teams) },
    { header: '综合得分', width: 14 * MM, align: 'right', text: (r) => (r.subject.scores.composite === null ? '—' : r.subject.scores.composite.toFixed(2)) },
  ];
}

/** A cadre's team and post, or a team's type (贫困县, 市州第一类 …). */
function unitOf(s: SubjectResult, teams: Map<string, string>): string {
  if (s.kind === 'team') return TYPE_LABELS[s.type].zh;
  const team = s.teamKey ? teams.get(s.teamKey) : undefined;
  return [team, s.role ? ROLE[s.role] : undefined].filter(Boolean).join(' · ');
}

/** Every reason the engine (and an override) recorded, then the vote flags shown for review. */
function reasonsOf(s: SubjectResult): string {
  const flags = s.voteFlags.map((f) => f.zh);
  return [...s.reasons.map((r) => r.zh), ...(flags.length > 0 ? [`票决提示：${flags.join('，')}`] : [])].join('；');
}

/** By name, per top-level category and grade, in the order of the subject list as imported. */
function lists(flow: Flow, pen: Pen, input: ReportPdfInput, teams: Map<string, string>): void {
  const { report, result } = input;
  heading(flow, pen, '三、等次名单及理由', { note: '列出优秀及一般、较差、基本称职、不称职、不定等次的对象（良好、称职从略），按考核对象名单顺序；理由为评定规则逐条记录的依据。', keep: 40 * MM });
  const columns = [...subjectColumns(teams), { header: '评定理由', width: CONTENT_WIDTH - 67 * MM, text: (r: Named) => reasonsOf(r.subject) }];
  const top = report.groups.filter((g) => !nested(g.group, report.groups));
  top.forEach((g, i) => {
    heading(flow, pen, `（${NUMERALS[i] ?? i + 1}）${g.group.zh}`, { size: 10.5 });
    for (const grade of LISTED[g.group.kind]) {
      const members = result.subjects.filter((s) => s.finalGrade === grade && inGroup(g.group, s));
      const rows = members.map((subject, k) => ({ subject, index: k + 1 }));
      table(flow, pen, { caption: `${g.group.zh} · ${GRADE_LABELS[grade].zh}（${rows.length}${UNIT[g.group.kind]}）`, columns, rows });
      flow.gap(2.5 * MM);
    }
  });
}

function overrides(flow: Flow, pen: Pen, input: ReportPdfInput, teams: Map<string, string>): void {
  heading(flow, pen, '四、等次调整（人工调整及理由）', { keep: 25 * MM });
  const rows = input.result.subjects.filter((s) => s.override !== undefined).map((subject, k) => ({ subject, index: k + 1 }));
  const columns: Column<Named>[] = [
    ...subjectColumns(teams).filter((c) => c.header !== '综合得分'),
    { header: '拟定等次', width: 16 * MM, text: (r) => GRADE_LABELS[r.subject.proposedGrade].zh },
    { header: '确定等次', width: 16 * MM, text: (r) => GRADE_LABELS[r.subject.finalGrade].zh },
    { header: '调整理由', width: CONTENT_WIDTH - 85 * MM, text: (r) => r.subject.override!.reason },
  ];
  table(flow, pen, { caption: `调整 ${rows.length} 项（拟定等次为评定规则的结果，确定等次为调整后的等次）`, columns, rows, empty: '本次评定无人工调整。' });
}

/** Running head (from page 2) and footer: the page of the total, and the audit head it belongs to. */
function frame(pen: Pen, input: ReportPdfInput, page: number, pages: number): void {
  const { doc } = pen;
  const grey = { size: 7, color: '#444' };
  if (page > 1) {
    write(pen, `${input.assessment.name} · 考核结果报告`, MARGIN.x, 10 * MM, CONTENT_WIDTH, grey);
    doc.save().lineWidth(0.4).strokeColor('#888').moveTo(MARGIN.x, 14 * MM).lineTo(A4.width - MARGIN.x, 14 * MM).stroke().restore();
  }
  const y = A4.height - 13 * MM;
  doc.save().lineWidth(0.4).strokeColor('#888').moveTo(MARGIN.x, y - 2 * MM).lineTo(A4.width - MARGIN.x, y - 2 * MM).stroke().restore();
  write(pen, `审计链头 ${input.auditHead.slice(0, 18)}…`, MARGIN.x, y, 60 * MM, grey);
  write(pen, `第 ${page} 页 / 共 ${pages} 页`, MARGIN.x, y, CONTENT_WIDTH, { size: 8, align: 'center' });
  write(pen, beijing(input.printedAt, false), A4.width - MARGIN.x - 60 * MM, y, 60 * MM, { ...grey, align: 'right' });
}

export async function renderReportPdf(input: ReportPdfInput): Promise<Uint8Array> {
  const { doc, textFont, t, finish } = pdfDocument(`${input.assessment.name} 考核结果报告`);
  const pen: Pen = { doc, textFont, t };
  const teams = new Map(input.result.subjects.filter((s) => s.kind === 'team').map((s) => [s.key, s.name]));
  const flow = new Flow();
  titlePage(flow, pen, input);
  countsTables(flow, pen, input.report);
  charts(flow, pen, input);
  lists(flow, pen, input, teams);
  overrides(flow, pen, input, teams);
  heading(flow, pen, '五、审计', { note: '本报告的导出已记入审计日志。导出后的审计链头（含本次导出记录）：', keep: 8 * MM });
  paragraph(flow, pen, input.auditHead, 8, '#000', 'Courier');
  // Planned first, drawn now: every page knows the total.
  flow.pages.forEach((draws, i) => {
    doc.addPage({ size: 'A4', margin: 0 });
    for (const draw of draws) draw();
    frame(pen, input, i + 1, flow.pages.length);
  });
  return finish();
}
