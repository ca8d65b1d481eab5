import { VOTER_ERROR_MESSAGES } from './voter-errors';

/**
 * Every error the API can return: a stable snake_case code (printed slips, other systems and
 * our own client depend on it) with its message in Chinese and English. Those a voter's phone
 * can meet are in voter-errors.ts.
 */
export const ERROR_MESSAGES = {
  ...VOTER_ERROR_MESSAGES,
  method_not_allowed: { zh: '不支持该请求方法。', en: 'Method not allowed.' },
  same_clerk: {
    zh: '这张纸质票您已录入过一次，第二次录入须由另一位录入员完成。',
    en: 'You have already entered this paper ballot; the second entry must be made by another clerk.',
  },
  paper_entries_pending: {
    zh: '还有纸质票只录入了一次或存在冲突；确认放弃这些录入后才能结束投票。',
    en: 'Some paper ballots are entered only once or in conflict; confirm discarding them to close the sitting.',
  },
  no_paper_conflict: { zh: '这张纸质票没有待裁定的录入冲突。', en: 'This paper ballot has no entry conflict to resolve.' },
  rehearsal_only: {
    zh: '演练票只能在演练阶段（正式开始前）发放。',
    en: 'Practice slips can be issued only during the rehearsal, before the sitting opens.',
  },
  unauthenticated: { zh: '请先登录。', en: 'Please log in first.' },
  bad_credentials: { zh: '用户名或密码错误。', en: 'Wrong username or password.' },
  forbidden: { zh: '没有权限进行此操作。', en: 'You are not allowed to do this.' },
  bad_origin: { zh: '请求来源不被允许。', en: 'The request origin is not allowed.' },
  unknown_assessment: { zh: '考核不存在。', en: 'Unknown assessment.' },
  unknown_batch: { zh: '票批次不存在、已过打印时限，或由另一台服务器签发（明文票号只在签发的服务器内存中）。', en: 'Unknown slip batch, its printing window has passed, or another server issued it (clear tokens stay in the memory of the server that issued them).' },
  unknown_subjects: { zh: '有考核对象不存在。', en: 'Some subjects do not exist.' },
  unknown_voter_group: { zh: '参评人员类别不存在。', en: 'Unknown voter group.' },
  duplicate_subject_key: { zh: '考核对象编号重复。', en: 'Duplicate subject key.' },
  invalid_state: { zh: '当前状态下不能进行此操作。', en: 'This action is not possible in the current state.' },
  not_published: { zh: '考核结果尚未公布。', en: 'The results have not been published.' },
  invalid_import: { zh: '导入的名单有错误行，未保存任何内容。', en: 'The imported list has bad rows; nothing was saved.' },
  unsupported_file: { zh: '无法读取该文件，请上传 CSV 或 XLSX 文件。', en: 'This file cannot be read. Upload a CSV or XLSX file.' },
  // The numbers below are IMPORT_LIMITS in server/limits.ts (tests/server/import-limits.test.ts checks they agree).
  import_too_many_rows: {
    zh: '表格行数过多：最多 20000 行（含表头，只计有内容的单元格）。',
    en: 'The sheet has too many rows: at most 20,000, the header included (only cells holding a value count).',
  },
  import_too_many_columns: {
    zh: '表格列数过多：最多 200 列（只计有内容的单元格）。',
    en: 'The sheet has too many columns: at most 200 (only cells holding a value count).',
  },
  import_too_large: { zh: '文件过大：解压后最多 50 MB。', en: 'The file is too large: at most 50 MB once uncompressed.' },
  import_too_slow: {
    zh: '文件读取超时：最多 10 秒。请删去多余的工作表或内容后重试。',
    en: 'Reading the file took too long: at most 10 seconds. Remove sheets or content not needed and try again.',
  },
  subject_in_use: { zh: '该考核对象已用于测评场次，不能删除。', en: 'This subject is used by a sitting and cannot be deleted.' },
  unknown_subject: { zh: '考核对象不存在。', en: 'Unknown subject.' },
  grading_inputs_invalid: { zh: '部分考核对象的类别或类型无法识别，不能评定等次。', en: 'Some subjects have an unknown category or type and cannot be graded.' },
  invalid_policy: { zh: '评定办法的参数有误。', en: 'The grading policy is invalid.' },
  override_reason_required: { zh: '调整等次必须填写理由。', en: 'A reason is required to change a grade.' },
  grade_not_allowed: { zh: '该考核对象不能评定为此等次。', en: 'This grade is not allowed for this subject.' },
  not_graded: { zh: '尚未评定等次。', en: 'No grading has been run yet.' },
  assessment_published: { zh: '考核结果已经公布，不能再修改。', en: 'The results are published and can no longer be changed.' },
  too_many_streams: { zh: '打开的实时画面过多，请关闭不用的页面后重试。', en: 'Too many live screens are open. Close the ones not in use and try again.' },
  post_required: {
    zh: '该下载会记入审计日志，请在管理控制台中点击按钮下载。',
    en: 'This download is recorded in the audit log: use the button in the console.',
  },
  conflict: { zh: '该操作与同时进行的另一操作冲突，请刷新后重试。', en: 'This conflicts with another action made at the same time. Reload and try again.' },
  username_taken: { zh: '该用户名已被使用。', en: 'This username is already taken.' },
} as const satisfies Record<string, { zh: string; en: string }>;

export type ErrorCode = keyof typeof ERROR_MESSAGES;

export type Lang = 'zh' | 'en';

/** The JSON body of every error response. */
export interface ApiErrorBody {
  error: { code: ErrorCode; message: string; details?: unknown };
}

/** Picks the message language from an Accept-Language header; Chinese unless English is preferred. */
export function langFromAcceptLanguage(header: string | undefined | null): Lang {
  if (!header) return 'zh';
  const first = header.split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('en') ? 'en' : 'zh';
}
