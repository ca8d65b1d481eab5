import type { Category, SubjectType } from '../types';

/**
 * The two years of the demo province, as plans. A plan fixes the structure (teams per type,
 * principals per team, deputies per team) and who scores what; it never fixes a grade. The
 * grades, and so the §7 counts, come from the engine: the quota floors of the pools, the
 * forced poverty-county grades, the holds, bars and downgrades these plans give facts for.
 *
 * Categories (documented in ../report.ts too): the 220 provincial teams = 145 teams of the
 * seed's twelve types + the 75 poverty-county teams; the 1,847 provincial cadres = 1,675
 * members of the 145 teams + the 172 county principals (2 in each of 86 counties: the 75
 * poverty counties and 11 others, whose teams the province does not grade). Nesting is
 * forced by the seed: 57 of 220 teams 优秀 is 25.9%, above the 25% maximum quota, so the
 * forced grades of poverty counties must be inside the 220.
 */

export type ProvincialType = Exclude<SubjectType, 'poverty_county' | 'county'>;

export interface TeamTypePlan {
  type: ProvincialType;
  category: Category;
  teams: number;
  principalsPerTeam: 1 | 2;
  /** Teams scoring ≥ 90 with no bar: the pool's quota cuts them to floor(25% × teams). */
  teamEligible: number;
  /** Principals scoring ≥ 90 with no bar. */
  principalEligible: number;
}

export type TeamSpecial = 'veto' | 'political_quality' | 'band_average' | 'criticised' | 'summoned';
export type CadreSpecial =
  | 'hold_new' | 'hold_leave' | 'hold_case' | 'hold_sanction' | 'forced_incompetent'
  | 'band_incompetent' | 'band_basic' | 'political_quality' | 'admonished';

export interface YearPlan {
  year: number;
  types: TeamTypePlan[];
  /** Deputies per team, in team order: n12 teams of 12, n11 of 11, n10 of 10, the rest 9. */
  deputies: { n12: number; n11: number; n10: number };
  /** Deputies scoring ≥ 90: quota + 1 in every team, or `first` in the first `teams` teams and `rest` after. */
  deputyEligible: 'quota_plus_one' | { teams: number; first: number; rest: number };
  /** Special teams, placed at the end of their type's list. */
  teamSpecials: [ProvincialType, TeamSpecial][];
  /** Special deputies of the provincial teams, spread one to a team. */
  cadreSpecials: [CadreSpecial, number][];
  /** The 75 poverty counties' 脱贫攻坚 results, in county order. */
  poverty: { good: number; fairly_good: number; average: number };
  nonPovertyCounties: number;
  counties: {
    /** Principals of counties rated 好: new in post (held) and under 诫勉 (barred). */
    heldInGood: number;
    admonishedInGood: number;
    /** Other county principals: held, in the 基本称职 band, and scoring ≥ 90 (beyond the quota). */
    heldElsewhere: number;
    basicElsewhere: number;
    eligibleElsewhere: number;
  };
}

const TYPES_2019: TeamTypePlan[] = [
  { type: 'city_1', category: 'city', teams: 6, principalsPerTeam: 2, teamEligible: 2, principalEligible: 4 },
  { type: 'city_2', category: 'city', teams: 7, principalsPerTeam: 2, teamEligible: 2, principalEligible: 4 },
  { type: 'city_3', category: 'city', teams: 2, principalsPerTeam: 2, teamEligible: 1, principalEligible: 2 },
  { type: 'dept_comprehensive', category: 'department', teams: 24, principalsPerTeam: 1, teamEligible: 7, principalEligible: 7 },
  { type: 'dept_economic', category: 'department', teams: 28, principalsPerTeam: 1, teamEligible: 6, principalEligible: 8 },
  { type: 'dept_social', category: 'department', teams: 20, principalsPerTeam: 1, teamEligible: 6, principalEligible: 6 },
  { type: 'dept_other', category: 'department', teams: 16, principalsPerTeam: 1, teamEligible: 5, principalEligible: 5 },
  { type: 'inst_university', category: 'institution', teams: 16, principalsPerTeam: 2, teamEligible: 5, principalEligible: 9 },
  { type: 'inst_other', category: 'institution', teams: 8, principalsPerTeam: 1, teamEligible: 3, principalEligible: 3 },
  { type: 'ent_industry', category: 'enterprise', teams: 12, principalsPerTeam: 1, teamEligible: 4, principalEligible: 4 },
  { type: 'ent_finance', category: 'enterprise', teams: 4, principalsPerTeam: 1, teamEligible: 0, principalEligible: 2 },
  { type: 'ent_culture', category: 'enterprise', teams: 2, principalsPerTeam: 1, teamEligible: 1, principalEligible: 1 },
];

/**
 * 2019: every pool at the 25% maximum. Teams: quotas 1+1+0+6+7+5+4+4+2+3+1+0 = 34, but
 * dept_economic has only 6 eligible and ent_finance none: 32, plus 25 poverty counties 好
 * = 57. Cadres: principals' quotas sum to 43 (each pool has one eligible more than its
 * quota); deputies 37 teams × 3 + 108 teams × 2 = 327; county principals 50 forced 优秀
 * less 3 held and 1 barred = 46: 416 in all.
 */
export const PLAN_2019: YearPlan = {
  year: 2019,
  types: TYPES_2019,
  deputies: { n12: 37, n11: 41, n10: 1 },
  deputyEligible: 'quota_plus_one',
  teamSpecials: [
    ['dept_economic', 'veto'], ['dept_social', 'political_quality'], ['dept_social', 'band_average'],
    ['dept_other', 'band_average'], ['ent_industry', 'criticised'], ['city_1', 'summoned'],
  ],
  cadreSpecials: [
    ['hold_new', 12], ['hold_leave', 6], ['hold_case', 5], ['hold_sanction', 6], ['forced_incompetent', 1],
    ['band_incompetent', 1], ['band_basic', 1], ['political_quality', 3], ['admonished', 1],
  ],
  poverty: { good: 25, fairly_good: 50, average: 0 },
  nonPovertyCounties: 11,
  counties: { heldInGood: 3, admonishedInGood: 1, heldElsewhere: 6, basicElsewhere: 2, eligibleElsewhere: 10 },
};

const eligible2018: Record<ProvincialType, [number, number]> = {
  city_1: [1, 2], city_2: [1, 2], city_3: [0, 0], dept_comprehensive: [5, 4], dept_economic: [5, 4],
  dept_social: [4, 3], dept_other: [3, 2], inst_university: [3, 4], inst_other: [2, 1],
  ent_industry: [3, 2], ent_finance: [1, 1], ent_culture: [0, 0],
};

/**
 * 2018: 141 provincial-type teams (four fewer 其他部门) and fewer high scorers. Teams:
 * 28 through the quotas + 18 poverty counties 好 = 46 of 216. Cadres: 25 principals,
 * deputies 59 × 2 + 82 × 1 = 200, county principals 36 forced less 2 held = 34: 259 of
 * 1,747 (141 teams' 172 principals and 1,403 deputies, plus 172 county principals).
 * Against 2019: teams 57/220 − 46/216 = +4.61 points, +11; cadres 416/1847 − 259/1747 =
 * +7.70 points, +157 (216 and 1,747 are the only totals near 2019's that give the seed's figures).
 */
export const PLAN_2018: YearPlan = {
  year: 2018,
  types: TYPES_2019.map((t) => {
    const [teamEligible, principalEligible] = eligible2018[t.type];
    return { ...t, teams: t.type === 'dept_other' ? 12 : t.teams, teamEligible, principalEligible };
  }),
  deputies: { n12: 37, n11: 11, n10: 1 },
  deputyEligible: { teams: 59, first: 2, rest: 1 },
  teamSpecials: [['dept_other', 'band_average'], ['dept_economic', 'veto']],
  cadreSpecials: [['hold_new', 10], ['hold_leave', 4], ['hold_case', 3], ['hold_sanction', 3], ['band_basic', 2], ['political_quality', 2]],
  poverty: { good: 18, fairly_good: 55, average: 2 },
  nonPovertyCounties: 11,
  counties: { heldInGood: 2, admonishedInGood: 0, heldElsewhere: 5, basicElsewhere: 1, eligibleElsewhere: 0 },
};
