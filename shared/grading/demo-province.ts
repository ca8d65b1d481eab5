import { PLAN_2018, PLAN_2019, type CadreSpecial, type TeamSpecial, type YearPlan } from './demo/plans';
import { between, componentsAround, type Rng } from './demo/scores';
import { DEFAULT_POLICY, quotaShare, type GradingPolicy } from './policy';
import { mulberry32 } from './prng';
import { quotaSize } from './rules/quota';
import type { AssessmentInput, PovertyResult, Subject, SubjectFacts, SubjectType } from './types';

/**
 * A deterministic demo province at the seed's scale (seed §7; plans in demo/plans.ts).
 * The seed's 优秀 shares (25.9% of teams, 22.5% of cadres) need the 25% maximum quota, so
 * the demo policy sets it as the default share of every pool.
 */
export const DEMO_POLICY: GradingPolicy = {
  ...DEFAULT_POLICY,
  id: 'demo-gansu',
  quota: { ...DEFAULT_POLICY.quota, defaultShare: 0.25 },
};

export interface DemoProvince {
  policy: GradingPolicy;
  previous: AssessmentInput;
  current: AssessmentInput;
}

const CITY_NAMES: Partial<Record<SubjectType, string[]>> = {
  city_1: ['兰州市', '嘉峪关市', '酒泉市', '张掖市', '金昌市', '兰州新区'],
  city_2: ['武威市', '白银市', '定西市', '天水市', '平凉市', '庆阳市', '陇南市'],
  city_3: ['甘南州', '临夏州'],
};
const TYPE_ZH: Record<SubjectType, string> = {
  city_1: '市', city_2: '市', city_3: '州', dept_comprehensive: '综合部门', dept_economic: '经济工作部门',
  dept_social: '社会发展部门', dept_other: '其他部门', inst_university: '高校科研院所', inst_other: '事业单位',
  ent_industry: '工商类企业', ent_finance: '金融类企业', ent_culture: '文化类企业', poverty_county: '贫困县', county: '县',
};
const SURNAMES = '王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐';
const GIVEN = '建国志明海军伟强文华玉兰晓东永红德春丽平';
const EVALUATORS = Array.from({ length: 12 }, (_, i) => `eval-${String(i + 1).padStart(2, '0')}`);
/** An evaluator whose marks hardly differ: the §2 discrimination check flags it. */
export const FLAT_EVALUATOR = 'eval-13';

const pad = (n: number): string => String(n).padStart(3, '0');
const personName = (rng: Rng): string =>
  `${SURNAMES[Math.floor(rng() * SURNAMES.length)] ?? '王'}${GIVEN[Math.floor(rng() * GIVEN.length)] ?? '明'}${GIVEN[Math.floor(rng() * GIVEN.length)] ?? '华'}`;

interface TeamSlot { subject: Subject; low: boolean }

function teamFacts(special: TeamSpecial | undefined): { t: (rng: Rng) => number; facts?: SubjectFacts; pq?: number; low: boolean } {
  switch (special) {
    case 'veto': return { t: () => 93, facts: { vetoItems: ['安全生产重大责任事故'] }, low: false };
    case 'political_quality': return { t: () => 92, pq: 88.6, low: false };
    case 'band_average': return { t: (rng) => between(rng, 68, 72), low: true };
    case 'criticised': return { t: () => 82, facts: { publiclyCriticised: true }, low: true };
    case 'summoned': return { t: () => 80, facts: { summoned: true, bottomRankedInDevelopment: true }, low: true };
    default: return { t: (rng) => between(rng, 77, 88), low: false };
  }
}

/** Teams of the twelve provincial types: the first `teamEligible` of a type score ≥ 90, specials last. */
function provincialTeams(plan: YearPlan, rng: Rng): TeamSlot[] {
  const slots: TeamSlot[] = [];
  for (const tp of plan.types) {
    const specials = plan.teamSpecials.filter(([type]) => type === tp.type).map(([, s]) => s);
    for (let i = 0; i < tp.teams; i++) {
      const special = specials[i - (tp.teams - specials.length)];
      const spec = teamFacts(special);
      const t = i < tp.teamEligible ? between(rng, 91.5, 97) : spec.t(rng);
      const n = slots.length;
      const evaluators: { evaluatorKey: string; score?: number }[] = [0, 3, 6, 9].map((k) => ({ evaluatorKey: EVALUATORS[(n + k) % 12] ?? 'eval-01' }));
      if (special === undefined && i >= tp.teamEligible && n % 10 === 0) evaluators.push({ evaluatorKey: FLAT_EVALUATOR, score: Math.round(between(rng, 84, 88) * 10) / 10 });
      const name = CITY_NAMES[tp.type]?.[i] ?? `${TYPE_ZH[tp.type]}${String(i + 1).padStart(2, '0')}`;
      slots.push({
        low: spec.low,
        subject: {
          key: `t-${tp.type}-${pad(i + 1)}`, kind: 'team', name: `${name}领导班子`, category: tp.category, type: tp.type,
          components: componentsAround(rng, 'team', tp.type, t, { evaluators, ...(spec.pq !== undefined ? { politicalQuality: spec.pq } : {}) }),
          ...(spec.facts !== undefined ? { facts: spec.facts } : {}),
        },
      });
    }
  }
  return slots;
}

function cadreSpecial(special: CadreSpecial, n: number): { t?: number; facts?: SubjectFacts; pq?: number; democratic?: { incompetentRate: number; competentOrAboveRate: number } } {
  switch (special) {
    case 'hold_new': return { facts: { monthsInPost: 4 } };
    case 'hold_leave': return { facts: { leaveMonths: 7 } };
    case 'hold_case': return { facts: { openCase: true } };
    case 'hold_sanction': return { facts: { sanctions: [n % 2 === 0 ? 'serious_warning' : 'demerit'] } };
    case 'forced_incompetent': return { facts: { sanctions: ['removal_from_party_post'] } };
    case 'band_incompetent': return { t: 55, democratic: { incompetentRate: 0.4, competentOrAboveRate: 0.5 } };
    case 'band_basic': return { t: 68, democratic: { incompetentRate: 0.2, competentOrAboveRate: 0.62 } };
    case 'political_quality': return { t: 92.5, pq: 88.6 };
    case 'admonished': return { t: 92, facts: { admonished: true } };
  }
}

interface CadreSpec { t: number; facts?: SubjectFacts; pq?: number; democratic?: { incompetentRate: number; competentOrAboveRate: number } }

function cadre(rng: Rng, key: string, team: Subject, role: 'principal' | 'deputy', type: SubjectType, spec: CadreSpec): Subject {
  const plenary = role === 'principal' && (team.category === 'city' || team.category === 'department');
  return {
    key, kind: 'cadre', name: personName(rng), category: team.category, type, teamKey: team.key, role,
    ...(team.povertyCounty === true ? { povertyCounty: true } : {}),
    components: componentsAround(rng, 'cadre', type, spec.t, {
      plenary,
      ...(spec.pq !== undefined ? { politicalQuality: spec.pq } : {}),
      ...(spec.democratic !== undefined ? { democratic: spec.democratic } : {}),
    }),
    ...(spec.facts !== undefined ? { facts: spec.facts } : {}),
  };
}

const normal = (rng: Rng): number => between(rng, 77, 88);
const high = (rng: Rng): number => between(rng, 91.5, 97);

/** Principals pooled by type: the first `principalEligible` not in a low-graded team score ≥ 90. */
function provincialPrincipals(plan: YearPlan, teams: TeamSlot[], rng: Rng): Subject[] {
  const out: Subject[] = [];
  for (const tp of plan.types) {
    let eligible = tp.principalEligible;
    for (const slot of teams.filter((s) => s.subject.type === tp.type)) {
      for (let p = 1; p <= tp.principalsPerTeam; p++) {
        const isHigh = !slot.low && eligible > 0;
        if (isHigh) eligible--;
        out.push(cadre(rng, `${slot.subject.key}-p${p}`, slot.subject, 'principal', tp.type, { t: isHigh ? high(rng) : normal(rng) }));
      }
    }
  }
  return out;
}

/** Deputies, each team its own pool; specials replace normal deputies at the end of a team's list. */
function provincialDeputies(plan: YearPlan, teams: TeamSlot[], policy: GradingPolicy, rng: Rng): Subject[] {
  const { n12, n11, n10 } = plan.deputies;
  const specials = plan.cadreSpecials.flatMap(([kind, count]) => Array.from({ length: count }, () => kind));
  // 7 is prime to the team count, so the specials land on distinct teams.
  const specialOfTeam = new Map(specials.map((kind, j) => [(j * 7 + 3) % teams.length, { kind, j }]));
  const out: Subject[] = [];
  teams.forEach((slot, i) => {
    const size = i < n12 ? 12 : i < n12 + n11 ? 11 : i < n12 + n11 + n10 ? 10 : 9;
    const quota = quotaSize(size, quotaShare(policy, `deputy:${slot.subject.key}`));
    const rule = plan.deputyEligible;
    const eligible = rule === 'quota_plus_one' ? quota + 1 : i < rule.teams ? rule.first : rule.rest;
    const special = specialOfTeam.get(i);
    for (let d = 0; d < size; d++) {
      const key = `${slot.subject.key}-d${String(d + 1).padStart(2, '0')}`;
      if (special !== undefined && d === size - 1) {
        const s = cadreSpecial(special.kind, special.j);
        out.push(cadre(rng, key, slot.subject, 'deputy', slot.subject.type, { ...s, t: s.t ?? normal(rng) }));
      } else {
        out.push(cadre(rng, key, slot.subject, 'deputy', slot.subject.type, { t: d < eligible ? high(rng) : normal(rng) }));
      }
    }
  });
  return out;
}

/** The 75 poverty-county teams (forced by their 脱贫攻坚 result) and the 172 county principals. */
function counties(plan: YearPlan, rng: Rng): { teams: Subject[]; principals: Subject[] } {
  const { good, fairly_good, average } = plan.poverty;
  const results: PovertyResult[] = [
    ...Array<PovertyResult>(good).fill('good'), ...Array<PovertyResult>(fairly_good).fill('fairly_good'), ...Array<PovertyResult>(average).fill('average'),
  ];
  const teams: Subject[] = results.map((povertyResult, i) => ({
    key: `t-county-${pad(i + 1)}`, kind: 'team', name: `贫困县${String(i + 1).padStart(2, '0')}领导班子`, category: 'county', type: 'poverty_county',
    povertyCounty: true, povertyResult,
    components: componentsAround(rng, 'team', 'poverty_county', between(rng, 78, 92), { evaluators: [{ evaluatorKey: EVALUATORS[i % 12] ?? 'eval-01' }] }),
  }));
  const others: Subject[] = Array.from({ length: plan.nonPovertyCounties }, (_, i) => ({
    key: `t-county-${pad(results.length + i + 1)}`, kind: 'team', name: `县${String(i + 1).padStart(2, '0')}`, category: 'county', type: 'county', components: {},
  }));
  const c = plan.counties;
  const goodPrincipals = good * 2;
  const principals: Subject[] = [];
  let held = 0;
  [...teams, ...others].forEach((team, i) => {
    for (let p = 1; p <= 2; p++) {
      const n = i * 2 + p - 1; // index among all county principals
      const key = `${team.key}-p${p}`;
      let spec: CadreSpec;
      if (n < goodPrincipals) {
        const fromEnd = goodPrincipals - 1 - n;
        spec = fromEnd < c.heldInGood ? { t: high(rng), facts: { monthsInPost: 3 } }
          : fromEnd < c.heldInGood + c.admonishedInGood ? { t: high(rng), facts: { admonished: true } }
            : { t: between(rng, 86, 95) };
      } else if (n < goodPrincipals + c.eligibleElsewhere) {
        spec = { t: high(rng) };
      } else if (n >= goodPrincipals + 40 && held < c.heldElsewhere) {
        held++;
        spec = { t: normal(rng), facts: held % 2 === 0 ? { leaveMonths: 8 } : { monthsInPost: 5 } };
      } else if (n >= goodPrincipals + 60 && n < goodPrincipals + 60 + c.basicElsewhere) {
        spec = { t: 70 };
      } else {
        spec = { t: normal(rng) };
      }
      principals.push(cadre(rng, key, team, 'principal', team.type, spec));
    }
  });
  return { teams, principals };
}

export function demoYear(plan: YearPlan, policy: GradingPolicy, seed: number): AssessmentInput {
  const rng = mulberry32(seed);
  const provincial = provincialTeams(plan, rng);
  const county = counties(plan, rng);
  const subjects = [
    ...provincial.map((s) => s.subject), ...county.teams,
    ...provincialPrincipals(plan, provincial, rng), ...provincialDeputies(plan, provincial, policy, rng), ...county.principals,
  ];
  return { id: `demo-gansu-${plan.year}`, year: plan.year, subjects };
}

/** The demo province: 2018 and 2019 inputs, graded under DEMO_POLICY. Same seed, same province. */
export function demoProvince(seed = 2019): DemoProvince {
  return {
    policy: DEMO_POLICY,
    previous: demoYear(PLAN_2018, DEMO_POLICY, seed * 31 + 2018),
    current: demoYear(PLAN_2019, DEMO_POLICY, seed * 31 + 2019),
  };
}
