import type { OhlcPrices } from '../candles/candle.types';
import { IndicatorSet } from './indicator-set';
import {
  INDICATOR_SERIES_KEYS,
  type IndicatorSeries,
  type IndicatorSeriesKey,
} from './indicator-values.types';

/**
 * Batch form: the streaming IndicatorSet run over the candles (one implementation), every
 * series aligned with the input and null during warm-up.
 */
export function computeIndicatorSeries(candles: readonly OhlcPrices[]): IndicatorSeries {
  const n = candles.length;
  const series = {} as IndicatorSeries;
  // push() keeps the arrays packed; pre-sized holey arrays are several times slower to fill.
  for (const key of INDICATOR_SERIES_KEYS) series[key] = [];
  const set = new IndicatorSet();
  const { rsi, macd, macdSignal, macdHistogram, ema9, ema21, ema50, ema200, atr, adx, plusDi, minusDi } =
    series;
  const { bbUpper, bbMiddle, bbLower, haOpen, haHigh, haLow, haClose } = series;
  for (let i = 0; i < n; i++) {
    set.add(candles[i]);
    rsi.push(orNull(set.rsi));
    macd.push(orNull(set.macd));
    macdSignal.push(orNull(set.macdSignal));
    macdHistogram.push(orNull(set.macdHistogram));
    ema9.push(orNull(set.ema9));
    ema21.push(orNull(set.ema21));
    ema50.push(orNull(set.ema50));
    ema200.push(orNull(set.ema200));
    atr.push(orNull(set.atr));
    adx.push(orNull(set.adx));
    plusDi.push(orNull(set.plusDi));
    minusDi.push(orNull(set.minusDi));
    bbUpper.push(orNull(set.bbUpper));
    bbMiddle.push(orNull(set.bbMiddle));
    bbLower.push(orNull(set.bbLower));
    haOpen.push(orNull(set.haOpen));
    haHigh.push(orNull(set.haHigh));
    haLow.push(orNull(set.haLow));
    haClose.push(orNull(set.haClose));
  }
  return series;
}

function orNull(value: number): number | null {
  return value === value ? value : null;
}

/** Batch form into Float64Arrays (NaN during warm-up): no per-value boxing, for large series. */
export function computeIndicatorColumns(
  candles: readonly OhlcPrices[],
): Record<IndicatorSeriesKey, Float64Array> {
  const n = candles.length;
  const cols = {} as Record<IndicatorSeriesKey, Float64Array>;
  for (const key of INDICATOR_SERIES_KEYS) cols[key] = new Float64Array(n);
  const set = new IndicatorSet();
  const { rsi, macd, macdSignal, macdHistogram, ema9, ema21, ema50, ema200, atr, adx, plusDi, minusDi } =
    cols;
  const { bbUpper, bbMiddle, bbLower, haOpen, haHigh, haLow, haClose } = cols;
  for (let i = 0; i < n; i++) {
    set.add(candles[i]);
    rsi[i] = set.rsi;
    macd[i] = set.macd;
    macdSignal[i] = set.macdSignal;
    macdHistogram[i] = set.macdHistogram;
    ema9[i] = set.ema9;
    ema21[i] = set.ema21;
    ema50[i] = set.ema50;
    ema200[i] = set.ema200;
    atr[i] = set.atr;
    adx[i] = set.adx;
    plusDi[i] = set.plusDi;
    minusDi[i] = set.minusDi;
    bbUpper[i] = set.bbUpper;
    bbMiddle[i] = set.bbMiddle;
    bbLower[i] = set.bbLower;
    haOpen[i] = set.haOpen;
    haHigh[i] = set.haHigh;
    haLow[i] = set.haLow;
    haClose[i] = set.haClose;
  }
  return cols;
}
