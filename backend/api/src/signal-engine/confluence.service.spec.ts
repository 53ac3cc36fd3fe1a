import { DEFAULT_ENGINE_CONFIG, IndicatorSet } from '@scanner/signal-core';
import { computeConfluence, type ConfluenceState, type ConfluenceSubject } from './confluence.service';

const HOUR = 3_600_000;
const START = Date.UTC(2024, 7, 5, 0, 0);

/**
 * What confluence reads of a timeframe after `count` candles zig-zagging up (+1) or down (−1), the last
 * closing at `closeTime`, with an active signal of direction `active`.
 */
function trendState(
  direction: 1 | -1,
  closeTime: number,
  interval: number,
  count = 260,
  active: 'LONG' | 'SHORT' | null = null,
): ConfluenceState {
  const set = new IndicatorSet();
  let price = 1000;
  for (let i = 0; i < count; i++) {
    const move = direction * (i % 2 === 0 ? 2 : -1.2);
    const close = price + move;
    set.add({ open: price, high: Math.max(price, close) + 0.3, low: Math.min(price, close) - 0.3, close });
    price = close;
  }
  return { lastOpenTime: closeTime - interval, indicators: set.getState(), active };
}

const subject: ConfluenceSubject = {
  symbol: 'BTCUSDT',
  timeframe: '5m',
  direction: 'LONG',
  createdAt: new Date(START).toISOString(),
};

describe('computeConfluence', () => {
  it('reads trend, both confidences and the active signal of every other timeframe, shortest first', () => {
    const states = new Map([
      ['4h', trendState(-1, START, 4 * HOUR)],
      ['1h', trendState(1, START, HOUR)],
      ['15m', trendState(-1, START, 15 * 60_000, 260, 'LONG')],
    ]);
    const confluence = computeConfluence(subject, ['5m', '15m', '1h', '4h'], states, DEFAULT_ENGINE_CONFIG);
    expect(confluence.others.map((other) => other.timeframe)).toEqual(['15m', '1h', '4h']);
    const [m15, h1, h4] = confluence.others;
    // 1h: rising, above EMA200, long scores higher, no active signal: agrees with LONG.
    expect(h1).toMatchObject({ trend: 'above', activeDirection: null, stale: false, agrees: true });
    expect(h1.longConfidence).toBeGreaterThan(h1.shortConfidence as number);
    expect(h1.asOf).toBe(new Date(START).toISOString());
    // 4h: falling: disagrees.
    expect(h4).toMatchObject({ trend: 'below', agrees: false });
    expect(h4.shortConfidence).toBeGreaterThan(h4.longConfidence as number);
    // 15m: falling but with an active LONG signal: the active signal decides.
    expect(m15).toMatchObject({ trend: 'below', activeDirection: 'LONG', agrees: true });
    expect(confluence.agreeing).toBe(3);
  });

  it('counts the signal own timeframe only when nothing else agrees, and a SHORT reads the other way', () => {
    const states = new Map([['1h', trendState(1, START, HOUR)]]);
    const short = computeConfluence(
      { ...subject, direction: 'SHORT' },
      ['5m', '1h'],
      states,
      DEFAULT_ENGINE_CONFIG,
    );
    expect(short.agreeing).toBe(1);
    expect(short.others[0].agrees).toBe(false);
  });

  it('marks a timeframe without state, or more than two of its candles behind the signal, as stale and not agreeing', () => {
    const states = new Map([['1h', trendState(1, START - 3 * HOUR, HOUR)]]);
    const confluence = computeConfluence(subject, ['5m', '1h', '4h'], states, DEFAULT_ENGINE_CONFIG);
    expect(confluence.others[0]).toMatchObject({
      timeframe: '1h',
      trend: 'above',
      stale: true,
      agrees: false,
    });
    expect(confluence.others[1]).toEqual({
      timeframe: '4h',
      activeDirection: null,
      trend: null,
      longConfidence: null,
      shortConfidence: null,
      asOf: null,
      stale: true,
      agrees: false,
    });
    expect(confluence.agreeing).toBe(1);
  });

  it('gives no trend before EMA200 has a value', () => {
    const states = new Map([['1h', trendState(1, START, HOUR, 120)]]);
    const [h1] = computeConfluence(subject, ['5m', '1h'], states, DEFAULT_ENGINE_CONFIG).others;
    expect(h1.trend).toBeNull();
    expect(h1.agrees).toBe(false);
    expect(h1.longConfidence).not.toBeNull();
  });
});
