/** One observation for the fit: e.g. x = confidence at creation, y = 1 if TP was reached before SL. */
export interface IsotonicPoint {
  readonly x: number;
  readonly y: number;
  readonly weight?: number;
}

/** A run of x values sharing one fitted value. */
export interface IsotonicBlock {
  readonly xMin: number;
  readonly xMax: number;
  readonly value: number;
  readonly weight: number;
}

/** Default minimum sample for a fit (issue #14: "null with a reason while fewer than 200 closes exist"). */
export const ISOTONIC_MIN_SAMPLE = 200;

/**
 * A non-decreasing step function of x, linear between blocks and flat beyond the ends. JSON-safe
 * through `blocks` (IsotonicModel.fromBlocks rebuilds it, e.g. from a stored fit).
 */
export class IsotonicModel {
  private constructor(
    readonly blocks: readonly IsotonicBlock[],
    readonly sampleSize: number,
  ) {}

  static fromBlocks(blocks: readonly IsotonicBlock[], sampleSize: number): IsotonicModel {
    return new IsotonicModel(blocks, sampleSize);
  }

  predict(x: number): number {
    const b = this.blocks;
    if (x <= b[0].xMax) return b[0].value;
    for (let i = 1; i < b.length; i++) {
      if (x < b[i].xMin) {
        const left = b[i - 1];
        return left.value + ((b[i].value - left.value) * (x - left.xMax)) / (b[i].xMin - left.xMax);
      }
      if (x <= b[i].xMax) return b[i].value;
    }
    return b[b.length - 1].value;
  }

  toJSON(): { blocks: readonly IsotonicBlock[]; sampleSize: number } {
    return { blocks: this.blocks, sampleSize: this.sampleSize };
  }
}

export type IsotonicFit =
  | { readonly model: IsotonicModel; readonly reason: null }
  | { readonly model: null; readonly reason: string };

/**
 * Least-squares non-decreasing fit of y on x by pool-adjacent-violators: points with equal x are
 * merged first, then any adjacent pair whose means decrease is pooled (weighted mean) until none
 * does. With fewer than `minSample` points (total weight) there is no model, and the reason says
 * why: a probability from a handful of signals would only look precise.
 */
export function fitIsotonic(
  points: readonly IsotonicPoint[],
  { minSample = ISOTONIC_MIN_SAMPLE } = {},
): IsotonicFit {
  const usable = points.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y) && (p.weight ?? 1) > 0);
  const total = usable.reduce((sum, p) => sum + (p.weight ?? 1), 0);
  if (usable.length === 0 || total < minSample) {
    return { model: null, reason: `${total} observation(s); a fit needs at least ${minSample}` };
  }
  const sorted = [...usable].sort((a, b) => a.x - b.x);
  const stack: { xMin: number; xMax: number; sum: number; weight: number }[] = [];
  for (const p of sorted) {
    const w = p.weight ?? 1;
    const top = stack[stack.length - 1];
    if (top !== undefined && top.xMax === p.x) {
      top.sum += p.y * w;
      top.weight += w;
    } else {
      stack.push({ xMin: p.x, xMax: p.x, sum: p.y * w, weight: w });
    }
    // Pool while the last block's mean is below the one before it.
    while (stack.length > 1) {
      const last = stack[stack.length - 1];
      const prev = stack[stack.length - 2];
      if (prev.sum / prev.weight <= last.sum / last.weight) break;
      stack.pop();
      prev.xMax = last.xMax;
      prev.sum += last.sum;
      prev.weight += last.weight;
    }
  }
  const blocks = stack.map((b) => ({
    xMin: b.xMin,
    xMax: b.xMax,
    value: b.sum / b.weight,
    weight: b.weight,
  }));
  return { model: IsotonicModel.fromBlocks(blocks, total), reason: null };
}
