/**
 * The errors a voter's phone can be answered with (the voter and public operations of the API
 * document: tests/server/voter-errors.test.ts holds them to it), with their messages in Chinese
 * and English. A module of their own: the voter page carries these, not the console's ~40 more.
 */
export const VOTER_ERROR_MESSAGES = {
  bad_json: { zh: '请求内容不是有效的 JSON。', en: 'The request body is not valid JSON.' },
  invalid_request: { zh: '请求内容有误。', en: 'The request is invalid.' },
  body_too_large: { zh: '请求内容过大。', en: 'The request body is too large.' },
  not_found: { zh: '未找到。', en: 'Not found.' },
  unknown_token: {
    zh: '无法识别这张测评票，请核对二维码或向工作人员询问。',
    en: 'This ballot slip is not recognised. Check the QR code or ask a staff member.',
  },
  token_used: {
    zh: '这张测评票已经投过票了，每张票只能使用一次。',
    en: 'This ballot slip has already been used. Each slip can be used once.',
  },
  sitting_not_open: { zh: '本场测评尚未开始。', en: 'This sitting has not opened yet.' },
  sitting_closed: { zh: '本场测评已经结束，不再接受投票。', en: 'This sitting is closed and accepts no more ballots.' },
  rehearsal_over: {
    zh: '这是演练票，演练已经结束，不能再投票。请使用正式测评票。',
    en: 'This is a practice slip and the rehearsal is over. Please use a real ballot slip.',
  },
  invalid_answers: { zh: '测评票填写有误，请修改后再提交。', en: 'The ballot has invalid answers. Please correct them and submit again.' },
  too_many_attempts: { zh: '尝试次数过多，请稍后再试。', en: 'Too many attempts. Please try again later.' },
  unknown_sitting: { zh: '测评场次不存在。', en: 'Unknown sitting.' },
  sitting_not_closed: {
    zh: '测评结束前不显示测评结果。',
    en: 'Results are shown only after the sitting is closed.',
  },
  storage_full: {
    zh: '服务器暂时无法保存（存储空间已满）。您的测评票仍保存在本机，稍后会自动重新提交。',
    en: 'The server cannot store anything right now (its storage is full). Your ballot is kept on this phone and will be submitted again automatically.',
  },
  busy: { zh: '服务器忙，请稍后再试。', en: 'The server is busy. Please try again shortly.' },
  internal_error: { zh: '服务器内部错误。', en: 'Internal server error.' },
} as const satisfies Record<string, { zh: string; en: string }>;
