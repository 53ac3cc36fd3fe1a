/** A source of uniform numbers in [0, 1): what the research tools take instead of Math.random. */
export type Prng = () => number;

/**
 * mulberry32: a small, fast 32-bit PRNG (Tommy Ettinger's constants). The same seed gives the same
 * sequence on every platform (integer arithmetic only), which is what makes a Monte Carlo result
 * reproducible. `seed` is any integer; it is taken modulo 2^32.
 */
export function mulberry32(seed: number): Prng {
  if (!Number.isSafeInteger(seed)) throw new RangeError(`PRNG seed must be an integer, got ${seed}`);
  let state = seed | 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
