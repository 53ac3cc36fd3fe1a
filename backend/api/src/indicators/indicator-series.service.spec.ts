import { INDICATOR_SERIES_KEYS } from '@scanner/contracts';
import { computeIndicatorSeries } from '@scanner/signal-core';
import { IndicatorSeriesService } from './indicator-series.service';

describe('IndicatorSeriesService', () => {
  const candles = Array.from({ length: 260 }, (_, i) => {
    const close = 100 + 10 * Math.sin(i / 7) + i * 0.05;
    return { open: close - 0.5, high: close + 1, low: close - 1, close };
  });

  it('gives every contract series, aligned with the candles, null during warm-up', () => {
    const series = new IndicatorSeriesService().forCandles(candles);
    expect(Object.keys(series).sort()).toEqual([...INDICATOR_SERIES_KEYS].sort());
    for (const key of INDICATOR_SERIES_KEYS) expect(series[key]).toHaveLength(candles.length);
    expect(series.ema200[198]).toBeNull();
    expect(series.ema200[199]).not.toBeNull();
    expect(series.rsi[14]).not.toBeNull();
  });

  it('is signal-core computeIndicatorSeries (the engine code), not a re-implementation', () => {
    expect(new IndicatorSeriesService().forCandles(candles)).toEqual(computeIndicatorSeries(candles));
  });
});
