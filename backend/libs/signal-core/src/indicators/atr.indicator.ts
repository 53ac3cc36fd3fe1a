import type { OhlcPrices } from '../candles/candle.types';
import { nullIfNaN, type StreamingIndicator } from './streaming-indicator';
import { trueRange } from './true-range';

export interface AtrState {
  readonly count: number;
  readonly previousClose: number;
  readonly value: number;
}

/**
 * ATR as TA_ATR: true range from index 1, seed = SMA of TR[1..n] (first value at index n), then
 * Wilder `atr = (atr * (n-1) + tr) / n` in TA-Lib's operation order.
 */
export class AtrIndicator implements StreamingIndicator<OhlcPrices, number, AtrState> {
  private count = 0;
  private previousClose = 0;
  /** Sum of TRs while seeding, the ATR afterwards. */
  private value = 0;
  result = Number.NaN;

  constructor(readonly period = 14) {
    if (!Number.isInteger(period) || period < 1)
      throw new RangeError(`ATR period must be an integer >= 1, got ${period}`);
  }

  get isStable(): boolean {
    return this.count > this.period;
  }

  getRequiredInputs(): number {
    return this.period + 1;
  }

  commit(c: OhlcPrices): void {
    const index = this.count++;
    if (index > 0) {
      const n = this.period;
      const tr = trueRange(c.high, c.low, this.previousClose);
      if (index > n) {
        let atr = this.value * (n - 1);
        atr += tr;
        this.value = atr / n;
        this.result = this.value;
      } else {
        this.value += tr;
        if (index === n) {
          this.value /= n;
          this.result = this.value;
        }
      }
    }
    this.previousClose = c.close;
  }

  preview(c: OhlcPrices): void {
    const index = this.count;
    const n = this.period;
    if (index < n) {
      this.result = Number.NaN;
      return;
    }
    const tr = trueRange(c.high, c.low, this.previousClose);
    if (index > n) {
      let atr = this.value * (n - 1);
      atr += tr;
      this.result = atr / n;
    } else {
      this.result = (this.value + tr) / n;
    }
  }

  add(c: OhlcPrices): number | null {
    this.commit(c);
    return nullIfNaN(this.result);
  }

  replace(c: OhlcPrices): number | null {
    this.preview(c);
    return nullIfNaN(this.result);
  }

  getResult(): number | null {
    return nullIfNaN(this.result);
  }

  getState(): AtrState {
    return { count: this.count, previousClose: this.previousClose, value: this.value };
  }

  setState(state: AtrState): void {
    this.count = state.count;
    this.previousClose = state.previousClose;
    this.value = state.value;
    this.result = this.count > this.period ? this.value : Number.NaN;
  }

  reset(): void {
    this.setState({ count: 0, previousClose: 0, value: 0 });
  }
}
