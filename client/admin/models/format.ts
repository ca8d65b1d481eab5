/** Numbers as the grading screens print them. */

export const fmtScore = (n: number | null | undefined): string => (typeof n === 'number' ? n.toFixed(2) : '—');
export const fmtInt = (n: number): string => n.toLocaleString('en-US');
/** A change with its sign, as the seed prints it: +11, +4.61, -2. */
export const signed = (n: number): string => (n > 0 ? `+${n}` : String(n));

export const mean = (xs: readonly number[]): number => xs.reduce((a, x) => a + x, 0) / xs.length;
