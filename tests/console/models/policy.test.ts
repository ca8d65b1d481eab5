import { describe, expect, it } from 'vitest';
import { draftOf, policyRefusal, readDraft, refusalMessage, refusalProblems, withField, withNewPool, withPool, type FieldProblems, type PolicyDraft } from '../../../client/admin/models/policy';
import { DEFAULT_POLICY, type GradingPolicy } from '../../../shared/grading/policy';
import { serverWithAdmin } from '../../helpers/admin-server';

const initial = draftOf(DEFAULT_POLICY);
const read = (draft: PolicyDraft) => readDraft(DEFAULT_POLICY, initial, draft);
/** The draft with some fields typed over. */
const typed = (fields: Record<string, string>): PolicyDraft => Object.entries(fields).reduce((d, [path, value]) => withField(d, path, value), initial);
const policyOf = (fields: Record<string, string>): GradingPolicy => read(typed(fields)).policy;
/** The Chinese texts shown beside each field. */
const chinese = (problems: FieldProblems) => Object.fromEntries(Object.entries(problems).map(([path, texts]) => [path, texts.map((x) => x.zh)]));
const besideFields = (policy: GradingPolicy) => {
  const refusal = policyRefusal(policy);
  return refusal ? chinese(refusalProblems(refusal)) : {};
};

describe('policy form: reading the fields back', () => {
  it('gives back the policy it was filled from, exact rates included', () => {
    expect(read(initial)).toEqual({ policy: DEFAULT_POLICY, unreadable: {} });
    expect(policyOf({ 'quota.defaultShare': '22' }).quota.defaultShare).toBe(0.22);
  });

  it('marks a blank or non-numeric field, and a pool share without its pool', () => {
    const { unreadable } = read(withPool(withNewPool(typed({ 'bands.low': '', reminderTalkBelow: 'eighty' })), 0, { share: '10' }));
    expect(chinese(unreadable)).toEqual({
      'bands.low': ['请填写数字。'],
      reminderTalkBelow: ['不是数字。'],
      'pools.0': ['请填写考核池编号。'],
    });
  });
});

describe('policy form: a draft that breaks a rule is refused beside its field', () => {
  it('refuses bands out of order and a share over the maximum, with the server’s message above', () => {
    const policy = policyOf({ 'bands.excellent': '70', 'quota.defaultShare': '30' });
    expect(besideFields(policy)).toEqual({
      bands: ['分数线须在 0-100 之间，且优秀线 > 称职（良好）线 > 基本称职（一般）线。'],
      'quota.defaultShare': ['优秀比例须在 0% 到最高比例之间，最高不超过 25%。'],
    });
    expect(refusalMessage(policyRefusal(policy)!)).toEqual({ zh: '评定办法的参数有误。', en: 'The grading policy is invalid.' });
  });

  it('refuses a number the schema does not allow before the rules are looked at', () => {
    const policy = policyOf({ 'weights.cadre.routine': '150', 'bands.excellent': '70' });
    expect(policyRefusal(policy)?.code).toBe('invalid_request');
    expect(besideFields(policy)).toEqual({ 'weights.cadre.routine': ['数值超出允许范围。'] });
  });

  it('lets a policy within the rules through', () => {
    expect(policyRefusal(policyOf({ 'bands.excellent': '92', 'quota.defaultShare': '25' }))).toBeNull();
  });
});

describe('policy form: refuses exactly what the server refuses', () => {
  const env = serverWithAdmin();

  const drafts: Record<string, Record<string, string>> = {
    'bands out of order': { 'bands.excellent': '70' },
    'shares over the cap': { 'quota.defaultShare': '30', 'quota.maxShare': '40' },
    'no policy id': { id: ' ' },
    'a weight over 100': { 'weights.team.routine': '150' },
    'downgrade steps not whole': { downgradeSteps: '1.5' },
    'negative months': { 'holds.minMonthsInPost': '-1' },
  };
  for (const [name, fields] of Object.entries(drafts)) {
    it(`gives the server’s code and details for ${name}`, async () => {
      const policy = policyOf(fields);
      const res = await env.admin.post('/api/admin/grading/policy', policy);
      expect(res.status).toBe(400);
      expect(policyRefusal(policy)).toEqual({ code: res.body.error.code, details: res.body.error.details });
    });
  }

  it('finds nothing wrong where the server saves', async () => {
    const policy = policyOf({ 'quota.defaultShare': '22' });
    expect(policyRefusal(policy)).toBeNull();
    expect((await env.admin.post('/api/admin/grading/policy', policy)).status).toBe(201);
  });
});
