/** z of a two-sided 95% normal interval. */
export const Z_95 = 1.959963984540054;

/** Below this many observations a figure is flagged `lowSample` (issue #14: "a figure from fewer than 30 signals says so"). */
export const LOW_SAMPLE = 30;

/** A proportion with everything a reader needs to judge it. */
export interface Rate {
  /** What is counted over what, e.g. `TP / (TP + SL)`. */
  readonly definition: string;
  readonly successes: number;
  readonly n: number;
  /** successes / n; null when n = 0. */
  readonly value: number | null;
  /** 95% Wilson score interval; null when n = 0. */
  readonly low: number | null;
  readonly high: number | null;
  readonly lowSample: boolean;
}

/**
 * The Wilson score interval of `successes` out of `n`: unlike the normal approximation it stays
 * inside [0, 1] and is honest at small n and at proportions near 0 or 1.
 */
export function wilsonInterval(successes: number, n: number, z = Z_95): { low: number; high: number } | null {
  if (n === 0) return null;
  const p = successes / n;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denominator;
  const half = (z / denominator) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  // Clamp the rounding crumbs at the ends (k = 0 or k = n gives exactly 0 or 1 in exact arithmetic).
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

export function rate(definition: string, successes: number, n: number): Rate {
  const interval = wilsonInterval(successes, n);
  return {
    definition,
    successes,
    n,
    value: n === 0 ? null : successes / n,
    low: interval?.low ?? null,
    high: interval?.high ?? null,
    lowSample: n < LOW_SAMPLE,
  };
}
