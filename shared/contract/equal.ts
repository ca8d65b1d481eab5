/**
 * Compile-time proof that a response schema describes exactly a domain type written as an
 * interface: `const _x: Same<z.output<typeof S>, T> = true;` fails to compile on any drift.
 */
export type Same<A, B> = (<G>() => G extends A ? 1 : 2) extends <G>() => G extends B ? 1 : 2 ? true : false;
