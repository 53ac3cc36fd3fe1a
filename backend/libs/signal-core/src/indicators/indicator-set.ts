import type { OhlcPrices } from '../candles/candle.types';
import { AdxIndicator, type AdxState } from './adx.indicator';
import { AtrIndicator, type AtrState } from './atr.indicator';
import { BollingerBandsIndicator, type BollingerBandsState } from './bollinger-bands.indicator';
import { EmaIndicator, type EmaState } from './ema.indicator';
import { HeikinAshiIndicator, type HeikinAshiState } from './heikin-ashi.indicator';
import type { IndicatorSnapshot, ScoringValues } from './indicator-values.types';
import { MacdIndicator, type MacdState } from './macd.indicator';
import { RsiIndicator, type RsiState } from './rsi.indicator';
import { nullIfNaN } from './streaming-indicator';

export interface IndicatorSetState {
  readonly count: number;
  readonly lastClose: number;
  readonly lastBullishCross: number;
  readonly lastBearishCross: number;
  readonly rsi: RsiState;
  readonly macd: MacdState;
  readonly ema9: EmaState;
  readonly ema21: EmaState;
  readonly ema50: EmaState;
  readonly ema200: EmaState;
  readonly atr: AtrState;
  readonly adx: AdxState;
  readonly bollinger: BollingerBandsState;
  readonly heikinAshi: HeikinAshiState;
}

/**
 * All indicators of one symbol + timeframe, streaming. `add(candle)` commits a closed candle,
 * `replace(candle)` previews the still-open one (see StreamingIndicator). The latest values are
 * plain number fields (NaN during warm-up) so the hot path reads them without allocating.
 * MACD crosses are tracked on closed candles only (the open candle never moves them).
 */
export class IndicatorSet implements ScoringValues {
  private readonly rsiIndicator = new RsiIndicator(14);
  private readonly macdIndicator = new MacdIndicator(12, 26, 9);
  private readonly ema9Indicator = new EmaIndicator(9);
  private readonly ema21Indicator = new EmaIndicator(21);
  private readonly ema50Indicator = new EmaIndicator(50);
  private readonly ema200Indicator = new EmaIndicator(200);
  private readonly atrIndicator = new AtrIndicator(14);
  private readonly adxIndicator = new AdxIndicator(14);
  private readonly bollinger = new BollingerBandsIndicator(20, 2);
  private readonly heikinAshi = new HeikinAshiIndicator();
  private count = 0;
  private lastBullishCross = -1;
  private lastBearishCross = -1;
  private committedHistogram = Number.NaN;
  private committedClose = Number.NaN;

  close = Number.NaN;
  rsi = Number.NaN;
  macd = Number.NaN;
  macdSignal = Number.NaN;
  macdHistogram = Number.NaN;
  ema9 = Number.NaN;
  ema21 = Number.NaN;
  ema50 = Number.NaN;
  ema200 = Number.NaN;
  atr = Number.NaN;
  adx = Number.NaN;
  plusDi = Number.NaN;
  minusDi = Number.NaN;
  bbUpper = Number.NaN;
  bbMiddle = Number.NaN;
  bbLower = Number.NaN;
  haOpen = Number.NaN;
  haHigh = Number.NaN;
  haLow = Number.NaN;
  haClose = Number.NaN;
  candlesSinceBullishCross = Number.POSITIVE_INFINITY;
  candlesSinceBearishCross = Number.POSITIVE_INFINITY;

  /** Closed candles committed since construction or the last reset. */
  get length(): number {
    return this.count;
  }

  /** True once every indicator has a value (EMA200 is the last, at the 200th candle). */
  get isStable(): boolean {
    return this.count >= this.getRequiredInputs();
  }

  getRequiredInputs(): number {
    return 200;
  }

  add(candle: OhlcPrices): this {
    const x = candle.close;
    this.rsiIndicator.commit(x);
    this.macdIndicator.commit(x);
    this.ema9Indicator.commit(x);
    this.ema21Indicator.commit(x);
    this.ema50Indicator.commit(x);
    this.ema200Indicator.commit(x);
    this.atrIndicator.commit(candle);
    this.adxIndicator.commit(candle);
    this.bollinger.commit(x);
    this.heikinAshi.commit(candle);
    const index = this.count++;
    const histogram = this.macdIndicator.histogram;
    const previous = this.committedHistogram;
    if (previous <= 0 && histogram > 0) this.lastBullishCross = index;
    else if (previous >= 0 && histogram < 0) this.lastBearishCross = index;
    this.committedHistogram = histogram;
    this.committedClose = x;
    this.sync(x, index);
    return this;
  }

  replace(candle: OhlcPrices): this {
    const x = candle.close;
    this.rsiIndicator.preview(x);
    this.macdIndicator.preview(x);
    this.ema9Indicator.preview(x);
    this.ema21Indicator.preview(x);
    this.ema50Indicator.preview(x);
    this.ema200Indicator.preview(x);
    this.atrIndicator.preview(candle);
    this.adxIndicator.preview(candle);
    this.bollinger.preview(x);
    this.heikinAshi.preview(candle);
    this.sync(x, this.count);
    return this;
  }

  private sync(close: number, index: number): void {
    this.close = close;
    this.rsi = this.rsiIndicator.result;
    this.macd = this.macdIndicator.macd;
    this.macdSignal = this.macdIndicator.macdSignal;
    this.macdHistogram = this.macdIndicator.histogram;
    this.ema9 = this.ema9Indicator.result;
    this.ema21 = this.ema21Indicator.result;
    this.ema50 = this.ema50Indicator.result;
    this.ema200 = this.ema200Indicator.result;
    this.atr = this.atrIndicator.result;
    this.adx = this.adxIndicator.adx;
    this.plusDi = this.adxIndicator.plusDi;
    this.minusDi = this.adxIndicator.minusDi;
    this.bbUpper = this.bollinger.upper;
    this.bbMiddle = this.bollinger.middle;
    this.bbLower = this.bollinger.lower;
    this.haOpen = this.heikinAshi.open;
    this.haHigh = this.heikinAshi.high;
    this.haLow = this.heikinAshi.low;
    this.haClose = this.heikinAshi.close;
    this.candlesSinceBullishCross =
      this.lastBullishCross < 0 ? Number.POSITIVE_INFINITY : index - this.lastBullishCross;
    this.candlesSinceBearishCross =
      this.lastBearishCross < 0 ? Number.POSITIVE_INFINITY : index - this.lastBearishCross;
  }

  /** The 15 wire indicator values at the latest (committed or previewed) candle. */
  snapshot(): IndicatorSnapshot {
    return {
      rsi: nullIfNaN(this.rsi),
      macd: nullIfNaN(this.macd),
      macdSignal: nullIfNaN(this.macdSignal),
      macdHistogram: nullIfNaN(this.macdHistogram),
      ema9: nullIfNaN(this.ema9),
      ema21: nullIfNaN(this.ema21),
      ema50: nullIfNaN(this.ema50),
      ema200: nullIfNaN(this.ema200),
      atr: nullIfNaN(this.atr),
      adx: nullIfNaN(this.adx),
      plusDi: nullIfNaN(this.plusDi),
      minusDi: nullIfNaN(this.minusDi),
      bbUpper: nullIfNaN(this.bbUpper),
      bbMiddle: nullIfNaN(this.bbMiddle),
      bbLower: nullIfNaN(this.bbLower),
    };
  }

  getState(): IndicatorSetState {
    return {
      count: this.count,
      lastClose: this.committedClose,
      lastBullishCross: this.lastBullishCross,
      lastBearishCross: this.lastBearishCross,
      rsi: this.rsiIndicator.getState(),
      macd: this.macdIndicator.getState(),
      ema9: this.ema9Indicator.getState(),
      ema21: this.ema21Indicator.getState(),
      ema50: this.ema50Indicator.getState(),
      ema200: this.ema200Indicator.getState(),
      atr: this.atrIndicator.getState(),
      adx: this.adxIndicator.getState(),
      bollinger: this.bollinger.getState(),
      heikinAshi: this.heikinAshi.getState(),
    };
  }

  /** Restores committed state; the values then describe the last committed candle. */
  setState(s: IndicatorSetState): void {
    this.count = s.count;
    this.lastBullishCross = s.lastBullishCross;
    this.lastBearishCross = s.lastBearishCross;
    this.rsiIndicator.setState(s.rsi);
    this.macdIndicator.setState(s.macd);
    this.ema9Indicator.setState(s.ema9);
    this.ema21Indicator.setState(s.ema21);
    this.ema50Indicator.setState(s.ema50);
    this.ema200Indicator.setState(s.ema200);
    this.atrIndicator.setState(s.atr);
    this.adxIndicator.setState(s.adx);
    this.bollinger.setState(s.bollinger);
    this.heikinAshi.setState(s.heikinAshi);
    this.committedHistogram = this.macdIndicator.histogram;
    this.committedClose = s.count > 0 ? s.lastClose : Number.NaN;
    this.sync(this.committedClose, this.count - 1);
  }

  reset(): void {
    this.rsiIndicator.reset();
    this.macdIndicator.reset();
    this.ema9Indicator.reset();
    this.ema21Indicator.reset();
    this.ema50Indicator.reset();
    this.ema200Indicator.reset();
    this.atrIndicator.reset();
    this.adxIndicator.reset();
    this.bollinger.reset();
    this.heikinAshi.reset();
    this.count = 0;
    this.lastBullishCross = -1;
    this.lastBearishCross = -1;
    this.committedHistogram = Number.NaN;
    this.committedClose = Number.NaN;
    this.sync(Number.NaN, -1);
  }
}
