import { nullIfNaN, type StreamingIndicator } from './streaming-indicator';

export interface MacdResult {
  readonly macd: number;
  readonly signal: number;
  readonly histogram: number;
}

export interface MacdState {
  readonly count: number;
  /** Last `fastPeriod` inputs, oldest first (needed only until the fast EMA is seeded). */
  readonly fastWindow: number[];
  readonly slowSum: number;
  readonly fast: number;
  readonly slow: number;
  readonly signalSum: number;
  readonly signal: number;
}

/**
 * MACD as TA_MACD: both EMAs are seeded with SMAs over the windows ending at index slow-1
 * (so the fast EMA is NOT EMA(fast) of the whole series), line = fast - slow from there,
 * signal = EMA(signalPeriod) of the line seeded with the SMA of its first signalPeriod values.
 * Line, signal and histogram are all first reported at index slow + signal - 2 (33 for 12/26/9).
 */
export class MacdIndicator implements StreamingIndicator<number, MacdResult, MacdState> {
  private readonly kFast: number;
  private readonly kSlow: number;
  private readonly kSignal: number;
  private readonly fastWindow: Float64Array;
  private count = 0;
  private slowSum = 0;
  private fast = 0;
  private slow = 0;
  private signalSum = 0;
  private signal = 0;
  macd = Number.NaN;
  macdSignal = Number.NaN;
  histogram = Number.NaN;

  constructor(
    readonly fastPeriod = 12,
    readonly slowPeriod = 26,
    readonly signalPeriod = 9,
  ) {
    for (const p of [fastPeriod, slowPeriod, signalPeriod]) {
      if (!Number.isInteger(p) || p < 1) throw new RangeError(`MACD periods must be integers >= 1, got ${p}`);
    }
    if (fastPeriod >= slowPeriod)
      throw new RangeError(`MACD fast period ${fastPeriod} must be below slow ${slowPeriod}`);
    this.kFast = 2 / (fastPeriod + 1);
    this.kSlow = 2 / (slowPeriod + 1);
    this.kSignal = 2 / (signalPeriod + 1);
    this.fastWindow = new Float64Array(fastPeriod);
  }

  get isStable(): boolean {
    return this.count >= this.getRequiredInputs();
  }

  getRequiredInputs(): number {
    return this.slowPeriod + this.signalPeriod - 1;
  }

  commit(x: number): void {
    const index = this.count++;
    const slowStart = this.slowPeriod - 1;
    if (index < slowStart) {
      this.slowSum += x;
      this.fastWindow[index % this.fastPeriod] = x;
      return;
    }
    if (index === slowStart) {
      this.fastWindow[index % this.fastPeriod] = x;
      this.slowSum += x;
      this.slow = this.slowSum / this.slowPeriod;
      this.fast = this.windowSum(index) / this.fastPeriod;
    } else {
      this.fast = (x - this.fast) * this.kFast + this.fast;
      this.slow = (x - this.slow) * this.kSlow + this.slow;
    }
    const line = this.fast - this.slow;
    const signalIndex = index - slowStart;
    if (signalIndex >= this.signalPeriod) {
      this.signal = (line - this.signal) * this.kSignal + this.signal;
    } else {
      this.signalSum += line;
      if (signalIndex < this.signalPeriod - 1) return;
      this.signal = this.signalSum / this.signalPeriod;
    }
    this.macd = line;
    this.macdSignal = this.signal;
    this.histogram = line - this.signal;
  }

  preview(x: number): void {
    const index = this.count;
    const signalIndex = index - (this.slowPeriod - 1);
    if (signalIndex < this.signalPeriod - 1) {
      this.macd = this.macdSignal = this.histogram = Number.NaN;
      return;
    }
    // Past the seeding of both EMAs (signalPeriod >= 2 assumed for the slow/fast seeds here).
    const fast = signalIndex === 0 ? this.seedFastWith(index, x) : (x - this.fast) * this.kFast + this.fast;
    const slow =
      signalIndex === 0 ? (this.slowSum + x) / this.slowPeriod : (x - this.slow) * this.kSlow + this.slow;
    const line = fast - slow;
    const signal =
      signalIndex >= this.signalPeriod
        ? (line - this.signal) * this.kSignal + this.signal
        : (this.signalSum + line) / this.signalPeriod;
    this.macd = line;
    this.macdSignal = signal;
    this.histogram = line - signal;
  }

  /** Sum of the fast window ending at `index`, oldest first (TA-Lib's summation order). */
  private windowSum(index: number): number {
    let sum = 0;
    for (let i = index - this.fastPeriod + 1; i <= index; i++) sum += this.fastWindow[i % this.fastPeriod];
    return sum;
  }

  private seedFastWith(index: number, x: number): number {
    let sum = 0;
    for (let i = index - this.fastPeriod + 1; i < index; i++) sum += this.fastWindow[i % this.fastPeriod];
    return (sum + x) / this.fastPeriod;
  }

  add(x: number): MacdResult | null {
    this.commit(x);
    return this.getResult();
  }

  replace(x: number): MacdResult | null {
    this.preview(x);
    return this.getResult();
  }

  getResult(): MacdResult | null {
    const macd = nullIfNaN(this.macd);
    return macd === null ? null : { macd, signal: this.macdSignal, histogram: this.histogram };
  }

  getState(): MacdState {
    const window: number[] = [];
    const start = Math.max(0, this.count - this.fastPeriod);
    for (let i = start; i < this.count; i++) window.push(this.fastWindow[i % this.fastPeriod]);
    return {
      count: this.count,
      fastWindow: window,
      slowSum: this.slowSum,
      fast: this.fast,
      slow: this.slow,
      signalSum: this.signalSum,
      signal: this.signal,
    };
  }

  setState(state: MacdState): void {
    this.count = state.count;
    this.fastWindow.fill(0);
    const start = this.count - state.fastWindow.length;
    state.fastWindow.forEach((v, i) => (this.fastWindow[(start + i) % this.fastPeriod] = v));
    this.slowSum = state.slowSum;
    this.fast = state.fast;
    this.slow = state.slow;
    this.signalSum = state.signalSum;
    this.signal = state.signal;
    if (this.isStable) {
      this.macd = this.fast - this.slow;
      this.macdSignal = this.signal;
      this.histogram = this.macd - this.signal;
    } else {
      this.macd = this.macdSignal = this.histogram = Number.NaN;
    }
  }

  reset(): void {
    this.setState({ count: 0, fastWindow: [], slowSum: 0, fast: 0, slow: 0, signalSum: 0, signal: 0 });
  }
}
