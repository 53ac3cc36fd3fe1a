import { KlineBar } from './kline-bar';
import { aggregateBars, approximateOpenCandle } from './partial-candle';

const bar = (o: number, h: number, l: number, c: number, v: number, openTime = 0): KlineBar => ({
  openTime,
  closeTime: openTime + 299_999,
  open: o,
  high: h,
  low: l,
  close: c,
  volume: v,
  quoteVolume: v * c,
  trades: 0,
  takerBuyBase: 0,
  takerBuyQuote: 0,
});

describe('aggregateBars', () => {
  it('takes the first open, extreme wicks, last close and summed volumes', () => {
    const out = aggregateBars([bar(10, 12, 9, 11, 1, 0), bar(11, 15, 10, 14, 2, 300_000)]);
    expect(out).toMatchObject({
      openTime: 0,
      closeTime: 599_999,
      open: 10,
      high: 15,
      low: 9,
      close: 14,
      volume: 3,
    });
  });

  it('ignores the prices of zero-volume fill candles', () => {
    const out = aggregateBars([bar(8, 8, 8, 8, 0, 0), bar(10, 12, 9, 11, 1, 300_000)]);
    expect(out).toMatchObject({ open: 10, high: 12, low: 9, close: 11 });
  });

  it('closes at the last traded price when the newest finer candle has just opened without a trade', () => {
    // The 5m candle that opened a moment ago gaps below the earlier lows but has no volume yet: the
    // 15m candle must not show a close below its own low (the app rejects such a kline).
    const out = aggregateBars([
      bar(0.571, 0.5712, 0.5687, 0.5695, 3, 0),
      bar(0.5695, 0.57, 0.569, 0.5699, 2, 300_000),
      bar(0.5686, 0.5686, 0.5686, 0.5686, 0, 600_000),
    ]);
    expect(out).toMatchObject({ open: 0.571, high: 0.5712, low: 0.5687, close: 0.5699, volume: 5 });
    expect(out.low).toBeLessThanOrEqual(Math.min(out.open, out.close));
  });
});

describe('approximateOpenCandle', () => {
  const final = bar(100, 110, 90, 104, 50);

  it('starts at the open with no volume and meets the stored candle at its close', () => {
    expect(approximateOpenCandle(final, 0, 2, 3)).toMatchObject({
      open: 100,
      high: 100,
      low: 100,
      close: 100,
      volume: 0,
    });
    expect(approximateOpenCandle(final, 299_999, 2, 3)).toMatchObject({
      open: 100,
      high: 110,
      low: 90,
      close: 104,
    });
  });

  it('grows monotonically and never leaves the final range', () => {
    let previous = approximateOpenCandle(final, 0, 2, 3);
    for (let t = 10_000; t < 300_000; t += 10_000) {
      const now = approximateOpenCandle(final, t, 2, 3);
      expect(now.high).toBeGreaterThanOrEqual(previous.high);
      expect(now.low).toBeLessThanOrEqual(previous.low);
      expect(now.volume).toBeGreaterThanOrEqual(previous.volume);
      expect(now.high).toBeLessThanOrEqual(110);
      expect(now.low).toBeGreaterThanOrEqual(90);
      expect(now.high).toBeGreaterThanOrEqual(Math.max(now.open, now.close));
      expect(now.low).toBeLessThanOrEqual(Math.min(now.open, now.close));
      previous = now;
    }
  });
});
