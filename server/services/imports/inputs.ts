import * as z from 'zod/mini';
import { SubjectInputsSchema, type InputImportPreview, type InputImportProblem, type SubjectInputs } from '../../../shared/grading-api';

/**
 * Component scores and facts (GRADING.md §2) from a spreadsheet, one row per subject, with
 * Chinese or English headers. Every bad cell is reported with its row and column; the caller
 * saves nothing unless there is none.
 */

type Field =
  | 'key' | 'routine' | 'q1' | 'q2' | 'q3' | 'q4' | 'performance' | 'superior' | 'plenary' | 'politicalQuality'
  | 'democratic' | 'excellentRate' | 'competentOrAboveRate' | 'incompetentRate'
  | 'povertyCounty' | 'povertyResult' | 'vetoItems' | 'sanctions' | 'admonished' | 'heldAccountable' | 'summoned'
  | 'bottomRankedInDevelopment' | 'publiclyCriticised' | 'membersDisciplined' | 'otherSeriousProblems'
  | 'monthsInPost' | 'leaveMonths' | 'openCase';

const HEADERS: Record<string, Field> = {
  编号: 'key', 对象编号: 'key', 键: 'key', key: 'key',
  平时考核: 'routine', routine: 'routine',
  第一季度: 'q1', 一季度: 'q1', q1: 'q1', 第二季度: 'q2', 二季度: 'q2', q2: 'q2', 第三季度: 'q3', 三季度: 'q3', q3: 'q3', 第四季度: 'q4', 四季度: 'q4', q4: 'q4',
  工作实绩: 'performance', performance: 'performance',
  上级评价: 'superior', superior: 'superior',
  省委全会测评: 'plenary', 全会测评: 'plenary', plenary: 'plenary',
  政治素质: 'politicalQuality', 政治素质测评: 'politicalQuality', politicalquality: 'politicalQuality',
  民主测评: 'democratic', democratic: 'democratic',
  优秀率: 'excellentRate', excellentrate: 'excellentRate', 称职以上率: 'competentOrAboveRate', competentorabove: 'competentOrAboveRate', 不称职率: 'incompetentRate', incompetentrate: 'incompetentRate',
  贫困县: 'povertyCounty', povertycounty: 'povertyCounty',
  脱贫攻坚成效: 'povertyResult', 脱贫攻坚: 'povertyResult', povertyresult: 'povertyResult',
  一票否决: 'vetoItems', 一票否决事项: 'vetoItems', veto: 'vetoItems',
  处分: 'sanctions', 党纪政务处分: 'sanctions', sanctions: 'sanctions',
  诫勉: 'admonished', admonished: 'admonished',
  问责: 'heldAccountable', accountable: 'heldAccountable',
  约谈: 'summoned', 被约谈: 'summoned', summoned: 'summoned',
  高质量发展排名靠后: 'bottomRankedInDevelopment', 排名靠后: 'bottomRankedInDevelopment', bottomranked: 'bottomRankedInDevelopment',
  通报批评: 'publiclyCriticised', criticised: 'publiclyCriticised',
  班子成员受处理人数: 'membersDisciplined', 成员受处理: 'membersDisciplined', membersdisciplined: 'membersDisciplined',
  其他突出问题: 'otherSeriousProblems', otherproblems: 'otherSeriousProblems',
  任职月数: 'monthsInPost', monthsinpost: 'monthsInPost',
  请假月数: 'leaveMonths', leavemonths: 'leaveMonths',
  立案未结: 'openCase', 立案审查: 'openCase', opencase: 'openCase',
};

const YES = new Set(['是', '有', 'y', 'yes', 'true', '1', '√']);
const NO = new Set(['否', '无', 'n', 'no', 'false', '0', '']);
const POVERTY: Record<string, SubjectInputs['povertyResult']> = { 好: 'good', 较好: 'fairly_good', 一般: 'average', 差: 'poor', good: 'good', fairly_good: 'fairly_good', average: 'average', poor: 'poor' };
const SANCTIONS: Record<string, NonNullable<NonNullable<SubjectInputs['facts']>['sanctions']>[number]> = {
  警告: 'warning', 严重警告: 'serious_warning', 记过: 'demerit', 记大过: 'major_demerit', 降级: 'demotion',
  撤销党内职务: 'removal_from_party_post', 撤职: 'dismissal', 留党察看: 'probation', 开除党籍: 'expulsion', 开除: 'expulsion',
};

const norm = (s: string) => s.replace(/[\s\u3000]+/g, '').toLowerCase();
const list = (s: string) => s.split(/[;；、,，]/).map((x) => x.trim()).filter(Boolean);

class CellError extends Error {
  constructor(readonly reason: InputImportProblem['reason']) {
    super(reason);
  }
}

function num(value: string, min: number, max: number): number {
  const n = Number(value.replace(/%$/, ''));
  if (!Number.isFinite(n)) throw new CellError('not_a_number');
  const scaled = value.endsWith('%') ? n / 100 : n;
  if (scaled < min || scaled > max) throw new CellError('out_of_range');
  return scaled;
}

function bool(value: string): boolean {
  const v = value.trim().toLowerCase();
  if (YES.has(v)) return true;
  if (NO.has(v)) return false;
  throw new CellError('bad_choice');
}

export function inputsFromTable(table: string[][], knownKeys: ReadonlySet<string>): InputImportPreview {
  const problems: InputImportProblem[] = [];
  const [header, ...body] = table.filter((r) => r.some((c) => c.trim() !== ''));
  if (!header) return { total: 0, rows: [], problems: [{ row: 1, reason: 'empty_file' }] };
  const columns = header.map((h) => {
    const t = h.trim();
    const department = /^(部门评价|department)[:：](.+)$/i.exec(t);
    return department ? { field: 'department' as const, evaluator: department[2]!.trim(), header: t } : { field: HEADERS[norm(t)], header: t };
  });
  if (!columns.some((c) => c.field === 'key')) return { total: body.length, rows: [], problems: [{ row: 1, reason: 'missing_key_column' }] };

  const rows: SubjectInputs[] = [];
  const firstRow = new Map<string, number>();
  body.forEach((cells, index) => {
    const rowNumber = index + 2;
    const row: Record<string, unknown> = {};
    const facts: Record<string, unknown> = {};
    const quarters: number[] = [];
    const departments: { evaluatorKey: string; score: number }[] = [];
    let rowOk = true;
    columns.forEach((column, i) => {
      const value = (cells[i] ?? '').trim();
      if (!column.field) return;
      try {
        switch (column.field) {
          case 'key':
            if (value === '') throw new CellError('missing_key');
            if (!knownKeys.has(value)) throw new CellError('unknown_subject');
            if (firstRow.has(value)) throw new CellError('duplicate_key');
            firstRow.set(value, rowNumber);
            row.key = value;
            return;
          case 'department':
            if (value !== '') departments.push({ evaluatorKey: column.evaluator, score: num(value, 0, 100) });
            return;
        }
        if (value === '') return;
        switch (column.field) {
          case 'routine':
            quarters.push(...list(value).map((v) => num(v, 0, 100)));
            break;
          case 'q1': case 'q2': case 'q3': case 'q4':
            quarters.push(num(value, 0, 100));
            break;
          case 'performance': case 'superior': case 'plenary': case 'politicalQuality':
            row[column.field] = num(value, 0, 100);
            break;
          case 'democratic':
            row.democraticScore = num(value, 0, 100);
            break;
          case 'excellentRate': case 'competentOrAboveRate': case 'incompetentRate':
            row[column.field] = num(value, 0, 1);
            break;
          case 'povertyCounty':
            row.povertyCounty = bool(value);
            break;
          case 'povertyResult': {
            const result = POVERTY[value.toLowerCase()];
            if (!result) throw new CellError('bad_choice');
            row.povertyResult = result;
            break;
          }
          case 'vetoItems': case 'otherSeriousProblems':
            facts[column.field] = list(value);
            break;
          case 'sanctions':
            facts.sanctions = list(value).map((v) => {
              const s = SANCTIONS[v] ?? (Object.values(SANCTIONS).includes(v as never) ? v : undefined);
              if (!s) throw new CellError('bad_choice');
              return s;
            });
            break;
          case 'membersDisciplined':
            facts.membersDisciplined = Math.round(num(value, 0, 100));
            break;
          case 'monthsInPost': case 'leaveMonths':
            facts[column.field] = num(value, 0, 12);
            break;
          default:
            facts[column.field] = bool(value);
        }
      } catch (err) {
        if (!(err instanceof CellError)) throw err;
        rowOk = false;
        problems.push({ row: rowNumber, column: column.header, reason: err.reason, value });
      }
    });
    if (!rowOk || typeof row.key !== 'string') return;
    const { democraticScore, excellentRate, competentOrAboveRate, incompetentRate, ...rest } = row;
    const candidate: Record<string, unknown> = { ...rest };
    if (quarters.length > 0) candidate.routine = quarters;
    if (departments.length > 0) candidate.departmentEvaluations = departments;
    if (democraticScore !== undefined) candidate.democratic = { score: democraticScore, excellentRate: excellentRate ?? 0, competentOrAboveRate: competentOrAboveRate ?? 0, incompetentRate: incompetentRate ?? 0 };
    if (Object.keys(facts).length > 0) candidate.facts = facts;
    const parsed = z.safeParse(SubjectInputsSchema, candidate);
    if (parsed.success) rows.push(parsed.data);
    else problems.push({ row: rowNumber, reason: 'invalid', value: parsed.error.issues[0]?.path.join('.') ?? '' });
  });
  return { total: body.length, rows, problems };
}
