import type { Reason, RuleId } from './types';

/** A reason with its stable code and both texts; codes are `<rule>.<what>`. */
export function reason(rule: RuleId, what: string, zh: string, en: string): Reason {
  return { rule, code: `${rule}.${what}`, zh, en };
}

/** Scores in reason texts: two decimals at most, no trailing zeros. */
export const fmt = (n: number): string => String(Math.round(n * 100) / 100);
