import { IndicatorSet, type SignalEngineSnapshot } from '@scanner/signal-core';
import { htfTrendAt, nextHigherTimeframe } from './htf-trend.service';

const HOUR = 3_600_000;
const OPEN = Date.UTC(2024, 7, 5, 10, 0);

function snapshot(direction: 1 | -1, lastOpenTime: number, count = 260): SignalEngineSnapshot {
  const set = new IndicatorSet();
  let price = 1000;
  for (let i = 0; i < count; i++) {
    const close = price + direction * (i % 2 === 0 ? 2 : -1.2);
    set.add({ open: price, high: Math.max(price, close) + 0.3, low: Math.min(price, close) - 0.3, close });
    price = close;
  }
  return {
    format: 'signal-engine/1',
    symbol: 'BTCUSDT',
    timeframe: '1h',
    lastOpenTime,
    lastSignalCloseOpenTime: null,
    candles: count,
    ignoredCandles: 0,
    gaps: 0,
    indicators: set.getState(),
    active: null,
  };
}

describe('higher-timeframe trend for htf_trend', () => {
  it('picks the next longer scanned timeframe', () => {
    const scanned = ['4h', '5m', '1h', '15m'];
    expect(nextHigherTimeframe('5m', scanned)).toBe('15m');
    expect(nextHigherTimeframe('15m', scanned)).toBe('1h');
    expect(nextHigherTimeframe('4h', scanned)).toBeNull();
    expect(nextHigherTimeframe('5m', ['5m'])).toBeNull();
    expect(nextHigherTimeframe('30m', scanned)).toBe('1h');
  });

  it('reads the EMA200 side of the higher candle closed by the lower candle’s close', () => {
    const higherClose = OPEN + HOUR - 1;
    expect(htfTrendAt(snapshot(1, OPEN), '1h', higherClose)).toBe('above');
    expect(htfTrendAt(snapshot(-1, OPEN), '1h', higherClose + 5 * 60_000)).toBe('below');
  });

  it('is unknown for a state past the candle (no look-ahead), too old, not warm, or missing', () => {
    const higherClose = OPEN + HOUR - 1;
    expect(htfTrendAt(snapshot(1, OPEN), '1h', higherClose - 1)).toBeNull();
    expect(htfTrendAt(snapshot(1, OPEN), '1h', higherClose + 2 * HOUR + 1)).toBeNull();
    expect(htfTrendAt(snapshot(1, OPEN, 50), '1h', higherClose)).toBeNull();
    expect(htfTrendAt(null, '1h', higherClose)).toBeNull();
  });
});
