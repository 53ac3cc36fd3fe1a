import type { OhlcPrices } from '../candles/candle.types';
import type { StreamingIndicator } from './streaming-indicator';

export interface HeikinAshiCandle {
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
}

export interface HeikinAshiState {
  readonly count: number;
  readonly open: number;
  readonly close: number;
  readonly high: number;
  readonly low: number;
}

/**
 * Heikin Ashi: close = (o+h+l+c)/4; open = (prev HA open + prev HA close)/2, seeded with (o+c)/2
 * of the first candle; high = max(h, HA open, HA close); low = min(l, HA open, HA close).
 */
export class HeikinAshiIndicator implements StreamingIndicator<
  OhlcPrices,
  HeikinAshiCandle,
  HeikinAshiState
> {
  private count = 0;
  private prevOpen = 0;
  private prevClose = 0;
  private prevHigh = 0;
  private prevLow = 0;
  open = Number.NaN;
  high = Number.NaN;
  low = Number.NaN;
  close = Number.NaN;

  get isStable(): boolean {
    return this.count >= 1;
  }

  getRequiredInputs(): number {
    return 1;
  }

  private compute(c: OhlcPrices): void {
    const close = (c.open + c.high + c.low + c.close) / 4;
    const open = this.count === 0 ? (c.open + c.close) / 2 : (this.prevOpen + this.prevClose) / 2;
    this.open = open;
    this.close = close;
    this.high = Math.max(c.high, open, close);
    this.low = Math.min(c.low, open, close);
  }

  commit(c: OhlcPrices): void {
    this.compute(c);
    this.count++;
    this.prevOpen = this.open;
    this.prevClose = this.close;
    this.prevHigh = this.high;
    this.prevLow = this.low;
  }

  preview(c: OhlcPrices): void {
    this.compute(c);
  }

  add(c: OhlcPrices): HeikinAshiCandle | null {
    this.commit(c);
    return this.getResult();
  }

  replace(c: OhlcPrices): HeikinAshiCandle | null {
    this.preview(c);
    return this.getResult();
  }

  getResult(): HeikinAshiCandle | null {
    return this.open === this.open
      ? { open: this.open, high: this.high, low: this.low, close: this.close }
      : null;
  }

  getState(): HeikinAshiState {
    return {
      count: this.count,
      open: this.prevOpen,
      close: this.prevClose,
      high: this.prevHigh,
      low: this.prevLow,
    };
  }

  setState(s: HeikinAshiState): void {
    this.count = s.count;
    this.prevOpen = s.open;
    this.prevClose = s.close;
    this.prevHigh = s.high;
    this.prevLow = s.low;
    if (this.count > 0) {
      this.open = s.open;
      this.close = s.close;
      this.high = s.high;
      this.low = s.low;
    } else {
      this.open = this.high = this.low = this.close = Number.NaN;
    }
  }

  reset(): void {
    this.setState({ count: 0, open: 0, close: 0, high: 0, low: 0 });
  }
}
