import { nullIfNaN, type StreamingIndicator } from './streaming-indicator';

export interface EmaState {
  readonly count: number;
  readonly seedSum: number;
  readonly value: number;
}

/**
 * EMA as TA-Lib computes it: alpha 2/(n+1), seeded with the SMA of the first n values, first
 * value at index n-1, update `((x - prev) * k) + prev` (same operation order as TA_EMA).
 */
export class EmaIndicator implements StreamingIndicator<number, number, EmaState> {
  private readonly k: number;
  private count = 0;
  private seedSum = 0;
  private value = 0;
  /** Latest result (committed or provisional); NaN during warm-up. */
  result = Number.NaN;

  constructor(readonly period: number) {
    if (!Number.isInteger(period) || period < 1)
      throw new RangeError(`EMA period must be an integer >= 1, got ${period}`);
    this.k = 2 / (period + 1);
  }

  get isStable(): boolean {
    return this.count >= this.period;
  }

  getRequiredInputs(): number {
    return this.period;
  }

  commit(x: number): void {
    const n = ++this.count;
    if (n > this.period) {
      this.value = (x - this.value) * this.k + this.value;
      this.result = this.value;
    } else {
      this.seedSum += x;
      if (n === this.period) {
        this.value = this.seedSum / this.period;
        this.result = this.value;
      }
    }
  }

  preview(x: number): void {
    const n = this.count + 1;
    if (n > this.period) this.result = (x - this.value) * this.k + this.value;
    else this.result = n === this.period ? (this.seedSum + x) / this.period : Number.NaN;
  }

  add(x: number): number | null {
    this.commit(x);
    return nullIfNaN(this.result);
  }

  replace(x: number): number | null {
    this.preview(x);
    return nullIfNaN(this.result);
  }

  getResult(): number | null {
    return nullIfNaN(this.result);
  }

  getState(): EmaState {
    return { count: this.count, seedSum: this.seedSum, value: this.value };
  }

  setState(state: EmaState): void {
    this.count = state.count;
    this.seedSum = state.seedSum;
    this.value = state.value;
    this.result = this.count >= this.period ? this.value : Number.NaN;
  }

  reset(): void {
    this.setState({ count: 0, seedSum: 0, value: 0 });
  }
}
