import { nullIfNaN, type StreamingIndicator } from './streaming-indicator';

export interface RsiState {
  readonly count: number;
  readonly previous: number;
  readonly gain: number;
  readonly loss: number;
}

/**
 * Wilder RSI as TA_RSI (unstable period 0): the first n changes are summed and averaged, then
 * `avg = (avg * (n-1) + x) / n`; first value at index n. When average gain + loss is exactly 0
 * the value is 0, as in TA-Lib (TA-Lib also treats |sum| < 1e-14 as 0; prices never get there).
 */
export class RsiIndicator implements StreamingIndicator<number, number, RsiState> {
  private count = 0;
  private previous = 0;
  private gain = 0;
  private loss = 0;
  result = Number.NaN;

  constructor(readonly period = 14) {
    if (!Number.isInteger(period) || period < 1)
      throw new RangeError(`RSI period must be an integer >= 1, got ${period}`);
  }

  get isStable(): boolean {
    return this.count > this.period;
  }

  getRequiredInputs(): number {
    return this.period + 1;
  }

  commit(x: number): void {
    const changes = this.count++;
    if (changes === 0) {
      this.previous = x;
      return;
    }
    const n = this.period;
    const change = x - this.previous;
    this.previous = x;
    if (changes > n) {
      let loss = this.loss * (n - 1);
      let gain = this.gain * (n - 1);
      if (change < 0) loss -= change;
      else gain += change;
      this.loss = loss / n;
      this.gain = gain / n;
      this.result = RsiIndicator.rsi(this.gain, this.loss);
    } else {
      if (change < 0) this.loss -= change;
      else this.gain += change;
      if (changes === n) {
        this.loss /= n;
        this.gain /= n;
        this.result = RsiIndicator.rsi(this.gain, this.loss);
      }
    }
  }

  preview(x: number): void {
    const changes = this.count;
    const n = this.period;
    if (changes === 0 || changes < n) {
      this.result = Number.NaN;
      return;
    }
    const change = x - this.previous;
    let loss: number;
    let gain: number;
    if (changes > n) {
      loss = this.loss * (n - 1);
      gain = this.gain * (n - 1);
      if (change < 0) loss -= change;
      else gain += change;
    } else {
      loss = this.loss;
      gain = this.gain;
      if (change < 0) loss -= change;
      else gain += change;
    }
    this.result = RsiIndicator.rsi(gain / n, loss / n);
  }

  private static rsi(gain: number, loss: number): number {
    const total = gain + loss;
    return total !== 0 ? 100 * (gain / total) : 0;
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

  getState(): RsiState {
    return { count: this.count, previous: this.previous, gain: this.gain, loss: this.loss };
  }

  setState(state: RsiState): void {
    this.count = state.count;
    this.previous = state.previous;
    this.gain = state.gain;
    this.loss = state.loss;
    this.result = this.count > this.period ? RsiIndicator.rsi(this.gain, this.loss) : Number.NaN;
  }

  reset(): void {
    this.setState({ count: 0, previous: 0, gain: 0, loss: 0 });
  }
}
