import type { CandlesResponse, IndicatorSeries } from '@scanner/contracts';
import { INDICATOR_SERIES_KEYS } from '@scanner/contracts';
import { makeSignal } from '@app/testing/make-signal';
import { barAt, priceLevels, toBars, toLine, toMarkers } from './chart-data';

const FIVE_MIN = 300;
const t0 = Date.parse('2024-08-05T10:00:00Z') / 1000;
function response(n: number): CandlesResponse {
  const candles = Array.from({ length: n }, (_, i) => ({
    openTime: new Date((t0 + i * FIVE_MIN) * 1000).toISOString(),
    closeTime: new Date((t0 + (i + 1) * FIVE_MIN) * 1000 - 1).toISOString(),
    open: 100 + i,
    high: 102 + i,
    low: 99 + i,
    close: 101 + i,
    volume: 5,
  }));
  const indicators = Object.fromEntries(
    INDICATOR_SERIES_KEYS.map((k) => [k, candles.map((_, i) => (i < 2 ? null : i))]),
  ) as IndicatorSeries;
  return { symbol: 'BTCUSDT', interval: '5m', candles, indicators };
}

describe('chart data', () => {
  it('turns candles into bars in epoch seconds', () => {
    expect(toBars(response(2).candles)[1]).toEqual({
      time: t0 + FIVE_MIN,
      open: 101,
      high: 103,
      low: 100,
      close: 102,
    });
  });

  it('keeps indicator warm-up as whitespace points aligned with the candles', () => {
    const line = toLine(response(4), 'ema9');
    expect(line).toEqual([
      { time: t0 },
      { time: t0 + 300 },
      { time: t0 + 600, value: 2 },
      { time: t0 + 900, value: 3 },
    ]);
  });

  it('finds the candle containing a time', () => {
    const bars = toBars(response(5).candles);
    expect(barAt(bars, t0 - 1)).toBeNull();
    expect(barAt(bars, t0 + 299)).toBe(t0);
    expect(barAt(bars, t0 + 300)).toBe(t0 + 300);
    expect(barAt(bars, t0 + 99_999)).toBe(t0 + 4 * 300);
  });

  it('marks creation, updates and the close on their candles, in time order', () => {
    const bars = toBars(response(10).candles);
    const signal = makeSignal({
      status: 'SL_HIT',
      candleOpenTime: new Date(t0 * 1000).toISOString(),
      closedAt: new Date((t0 + 2000) * 1000).toISOString(),
      confidence: 75,
    });
    const update = makeSignal({ updatedAt: new Date((t0 + 900) * 1000).toISOString(), confidence: 82 });
    const markers = toMarkers(bars, signal, [
      { seq: 1, type: 'created', recordedAt: '', signal },
      { seq: 2, type: 'updated', recordedAt: '', signal: update },
    ]);
    expect(markers).toEqual([
      { time: t0, kind: 'created', text: 'Created 75' },
      { time: t0 + 900, kind: 'updated', text: '82' },
      { time: t0 + 1800, kind: 'closed', text: 'SL HIT' },
    ]);
  });

  it('draws three levels: entry, stop and target', () => {
    expect(priceLevels(makeSignal()).map((l) => [l.title, l.price])).toEqual([
      ['Entry', 60000],
      ['SL', 59000],
      ['TP', 61666.67],
    ]);
  });
});
