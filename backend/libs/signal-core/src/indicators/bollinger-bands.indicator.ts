import type { StreamingIndicator } from './streaming-indicator';

export interface BollingerBandsResult {
  readonly upper: number;
  readonly middle: number;
  readonly lower: number;
}

export interface BollingerBandsState {
  readonly count: number;
  /** The last `period` inputs, oldest first. */
  readonly window: number[];
}

/**
 * Bollinger Bands: SMA(period) ± k × population standard deviation, first value at period-1.
 * The deviation is computed two-pass over the window (mean first, then the mean of squared
 * deviations), never as E[x²] − mean², and never zeroed: TA-Lib's running-sum form and its
 * `variance < 1e-14 → 0` rule make the bands zero-width on micro-priced coins (PEPE, SHIB).
 */
export class BollingerBandsIndicator implements StreamingIndicator<
  number,
  BollingerBandsResult,
  BollingerBandsState
> {
  private readonly window: Float64Array;
  private count = 0;
  upper = Number.NaN;
  middle = Number.NaN;
  lower = Number.NaN;

  constructor(
    readonly period = 20,
    readonly deviations = 2,
  ) {
    if (!Number.isInteger(period) || period < 1)
      throw new RangeError(`Bollinger period must be an integer >= 1, got ${period}`);
    this.window = new Float64Array(period);
  }

  get isStable(): boolean {
    return this.count >= this.period;
  }

  getRequiredInputs(): number {
    return this.period;
  }

  commit(x: number): void {
    this.window[this.count % this.period] = x;
    this.count++;
    if (this.count >= this.period) this.compute(Number.NaN);
  }

  preview(x: number): void {
    if (this.count + 1 < this.period) {
      this.upper = this.middle = this.lower = Number.NaN;
      return;
    }
    this.compute(x);
  }

  /** Bands over the committed window, or over it shifted by `extra` when extra is not NaN. */
  private compute(extra: number): void {
    const p = this.period;
    const w = this.window;
    const withExtra = extra === extra;
    // Oldest first; with `extra`, the oldest committed value drops out. The ring is read as two
    // straight runs (start..p-1, then 0..) rather than with a modulo per element.
    const first = withExtra ? this.count - p + 1 : this.count - p;
    const n = withExtra ? p - 1 : p;
    const start = first % p;
    const split = Math.min(p, start + n);
    const wrap = start + n - split;
    let sum = 0;
    for (let i = start; i < split; i++) sum += w[i];
    for (let i = 0; i < wrap; i++) sum += w[i];
    if (withExtra) sum += extra;
    const mean = sum / p;
    let squares = 0;
    for (let i = start; i < split; i++) {
      const d = w[i] - mean;
      squares += d * d;
    }
    for (let i = 0; i < wrap; i++) {
      const d = w[i] - mean;
      squares += d * d;
    }
    if (withExtra) {
      const d = extra - mean;
      squares += d * d;
    }
    const band = this.deviations * Math.sqrt(squares / p);
    this.middle = mean;
    this.upper = mean + band;
    this.lower = mean - band;
  }

  add(x: number): BollingerBandsResult | null {
    this.commit(x);
    return this.getResult();
  }

  replace(x: number): BollingerBandsResult | null {
    this.preview(x);
    return this.getResult();
  }

  getResult(): BollingerBandsResult | null {
    return this.middle === this.middle ? { upper: this.upper, middle: this.middle, lower: this.lower } : null;
  }

  getState(): BollingerBandsState {
    const values: number[] = [];
    for (let i = Math.max(0, this.count - this.period); i < this.count; i++)
      values.push(this.window[i % this.period]);
    return { count: this.count, window: values };
  }

  setState(state: BollingerBandsState): void {
    this.count = state.count;
    this.window.fill(0);
    const start = this.count - state.window.length;
    state.window.forEach((v, i) => (this.window[(start + i) % this.period] = v));
    if (this.count >= this.period) this.compute(Number.NaN);
    else this.upper = this.middle = this.lower = Number.NaN;
  }

  reset(): void {
    this.setState({ count: 0, window: [] });
  }
}
