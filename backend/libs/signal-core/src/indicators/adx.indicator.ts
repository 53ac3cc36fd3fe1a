import type { OhlcPrices } from '../candles/candle.types';
import { nullIfNaN, type StreamingIndicator } from './streaming-indicator';
import { trueRange } from './true-range';

export interface AdxResult {
  readonly adx: number | null;
  readonly plusDi: number;
  readonly minusDi: number;
}

export interface AdxState {
  readonly count: number;
  readonly previousHigh: number;
  readonly previousLow: number;
  readonly previousClose: number;
  readonly plusDm: number;
  readonly minusDm: number;
  readonly tr: number;
  readonly sumDx: number;
  readonly adx: number;
}

interface Step {
  plusDm: number;
  minusDm: number;
  tr: number;
}

/**
 * ADX with +DI/-DI exactly as TA_ADX / TA_PLUS_DI / TA_MINUS_DI (unstable period 0):
 * - one-bar DM: the larger of up-move / down-move if positive; a tie counts as NEITHER;
 * - DM and TR summed over bars 1..n-1, then Wilder `s = s - s/n + x` from bar n, so the first
 *   DI is at index n; DX = 100 |-DI - +DI| / (-DI + +DI);
 * - first ADX = mean of DX over bars n..2n-1 (index 2n-1 = 27), then `(adx*(n-1) + dx) / n`;
 *   a bar whose smoothed TR or DI sum is 0 leaves ADX unchanged (DI reported as 0), as in TA-Lib.
 */
export class AdxIndicator implements StreamingIndicator<OhlcPrices, AdxResult, AdxState> {
  private count = 0;
  private previousHigh = 0;
  private previousLow = 0;
  private previousClose = 0;
  private plusDm = 0;
  private minusDm = 0;
  private tr = 0;
  private sumDx = 0;
  private adxValue = 0;
  private readonly step: Step = { plusDm: 0, minusDm: 0, tr: 0 };
  adx = Number.NaN;
  plusDi = Number.NaN;
  minusDi = Number.NaN;

  constructor(readonly period = 14) {
    if (!Number.isInteger(period) || period < 2)
      throw new RangeError(`ADX period must be an integer >= 2, got ${period}`);
  }

  get isStable(): boolean {
    return this.count >= 2 * this.period;
  }

  getRequiredInputs(): number {
    return 2 * this.period;
  }

  /** Writes the smoothed DM/TR after bar `c` (at bar index `index` >= 1) into this.step. */
  private advance(c: OhlcPrices, index: number): void {
    const n = this.period;
    const diffP = c.high - this.previousHigh;
    const diffM = this.previousLow - c.low;
    let plusDm = this.plusDm;
    let minusDm = this.minusDm;
    let tr = this.tr;
    const range = trueRange(c.high, c.low, this.previousClose);
    if (index < n) {
      if (diffM > 0 && diffP < diffM) minusDm += diffM;
      else if (diffP > 0 && diffP > diffM) plusDm += diffP;
      tr += range;
    } else {
      minusDm -= minusDm / n;
      plusDm -= plusDm / n;
      if (diffM > 0 && diffP < diffM) minusDm += diffM;
      else if (diffP > 0 && diffP > diffM) plusDm += diffP;
      tr = tr - tr / n + range;
    }
    this.step.plusDm = plusDm;
    this.step.minusDm = minusDm;
    this.step.tr = tr;
  }

  /** Sets DI outputs from this.step and returns the DX, or NaN when TA-Lib would skip the bar. */
  private directional(): number {
    const { plusDm, minusDm, tr } = this.step;
    if (tr === 0) {
      this.plusDi = 0;
      this.minusDi = 0;
      return Number.NaN;
    }
    const minusDi = 100 * (minusDm / tr);
    const plusDi = 100 * (plusDm / tr);
    this.plusDi = plusDi;
    this.minusDi = minusDi;
    const sum = minusDi + plusDi;
    return sum !== 0 ? 100 * (Math.abs(minusDi - plusDi) / sum) : Number.NaN;
  }

  commit(c: OhlcPrices): void {
    const index = this.count++;
    if (index > 0) {
      this.advance(c, index);
      this.plusDm = this.step.plusDm;
      this.minusDm = this.step.minusDm;
      this.tr = this.step.tr;
      if (index >= this.period) this.updateAdx(index, true);
    }
    this.previousHigh = c.high;
    this.previousLow = c.low;
    this.previousClose = c.close;
  }

  private updateAdx(index: number, commit: boolean): void {
    const n = this.period;
    const dx = this.directional();
    if (index < 2 * n - 1) {
      if (commit && dx === dx) this.sumDx += dx;
      this.adx = Number.NaN;
    } else if (index === 2 * n - 1) {
      const sum = dx === dx ? this.sumDx + dx : this.sumDx;
      const adx = sum / n;
      if (commit) {
        this.sumDx = sum;
        this.adxValue = adx;
      }
      this.adx = adx;
    } else {
      const adx = dx === dx ? (this.adxValue * (n - 1) + dx) / n : this.adxValue;
      if (commit) this.adxValue = adx;
      this.adx = adx;
    }
  }

  preview(c: OhlcPrices): void {
    const index = this.count;
    if (index < this.period) {
      this.adx = this.plusDi = this.minusDi = Number.NaN;
      return;
    }
    this.advance(c, index);
    this.updateAdx(index, false);
  }

  add(c: OhlcPrices): AdxResult | null {
    this.commit(c);
    return this.getResult();
  }

  replace(c: OhlcPrices): AdxResult | null {
    this.preview(c);
    return this.getResult();
  }

  /** Null until +DI/-DI exist (index n); `adx` inside stays null until index 2n-1. */
  getResult(): AdxResult | null {
    if (this.plusDi !== this.plusDi) return null;
    return { adx: nullIfNaN(this.adx), plusDi: this.plusDi, minusDi: this.minusDi };
  }

  getState(): AdxState {
    return {
      count: this.count,
      previousHigh: this.previousHigh,
      previousLow: this.previousLow,
      previousClose: this.previousClose,
      plusDm: this.plusDm,
      minusDm: this.minusDm,
      tr: this.tr,
      sumDx: this.sumDx,
      adx: this.adxValue,
    };
  }

  setState(s: AdxState): void {
    this.count = s.count;
    this.previousHigh = s.previousHigh;
    this.previousLow = s.previousLow;
    this.previousClose = s.previousClose;
    this.plusDm = s.plusDm;
    this.minusDm = s.minusDm;
    this.tr = s.tr;
    this.sumDx = s.sumDx;
    this.adxValue = s.adx;
    this.adx = this.plusDi = this.minusDi = Number.NaN;
    if (this.count > this.period) {
      this.step.plusDm = this.plusDm;
      this.step.minusDm = this.minusDm;
      this.step.tr = this.tr;
      this.directional();
      if (this.count >= 2 * this.period) this.adx = this.adxValue;
    }
  }

  reset(): void {
    this.setState({
      count: 0,
      previousHigh: 0,
      previousLow: 0,
      previousClose: 0,
      plusDm: 0,
      minusDm: 0,
      tr: 0,
      sumDx: 0,
      adx: 0,
    });
  }
}
