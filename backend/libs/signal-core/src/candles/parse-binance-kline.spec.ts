import { KlineSequenceError } from '../errors/kline-sequence.error';
import { MalformedCandleError } from '../errors/malformed-candle.error';
import { UnsupportedTimeframeError } from '../errors/unsupported-timeframe.error';
import { assertValidCandle, parseBinanceKline, parseBinanceKlines } from './parse-binance-kline';
import { timeframeFromMs, timeframeToMs } from './timeframe';

const T0 = Date.UTC(2024, 7, 5, 0, 0);
const FIVE_MIN = 300_000;
const OPTIONS = { symbol: 'BTCUSDT', interval: '5m' } as const;

/** A valid Binance kline row for the 5m candle opening at `openTime`. */
function row(openTime: number, overrides: Partial<Record<number, unknown>> = {}): unknown[] {
  const base: unknown[] = [
    openTime,
    '100.00000000',
    '110.00000000',
    '95.00000000',
    '105.00000000',
    '12.50000000',
    openTime + FIVE_MIN - 1,
    '1300.00000000',
    42,
    '6.0',
    '630.0',
    '0',
  ];
  for (const [index, value] of Object.entries(overrides)) base[Number(index)] = value;
  return base;
}

function errorOf(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a throw');
}

describe('parseBinanceKlines', () => {
  it('parses valid rows into numbers with the quote volume, oldest first', () => {
    const candles = parseBinanceKlines([row(T0), row(T0 + FIVE_MIN)], OPTIONS);
    expect(candles).toEqual([
      {
        openTime: T0,
        closeTime: T0 + FIVE_MIN - 1,
        open: 100,
        high: 110,
        low: 95,
        close: 105,
        volume: 12.5,
        quoteVolume: 1300,
      },
      expect.objectContaining({ openTime: T0 + FIVE_MIN }),
    ]);
  });

  it('parses a real Binance row exactly', () => {
    const real = [
      1722211200000,
      '68249.88000000',
      '68279.63000000',
      '68190.00000000',
      '68190.00000000',
      '66.80992000',
      1722211499999,
      '4555768.44480000',
      0,
      '0',
      '0',
      '0',
    ];
    expect(parseBinanceKline(real, { interval: '5m' })).toEqual({
      openTime: 1722211200000,
      closeTime: 1722211499999,
      open: 68249.88,
      high: 68279.63,
      low: 68190,
      close: 68190,
      volume: 66.80992,
      quoteVolume: 4555768.4448,
    });
  });

  it('accepts an empty answer', () => {
    expect(parseBinanceKlines([], { ...OPTIONS, expectedFirstOpenTime: T0 })).toEqual([]);
  });

  it.each([
    ['a row with 11 fields', row(T0).slice(0, 11), 'row', /expected 12 fields, got 11/],
    ['a row with 7 fields', row(T0).slice(0, 7), 'row', /expected 12 fields, got 7/],
    ['a non-numeric close', row(T0, { 4: 'abc' }), 'close', /close is not a decimal string: "abc"/],
    ['an empty price', row(T0, { 3: '' }), 'low', /low is not a decimal string: ""/],
    [
      'a number instead of a decimal string',
      row(T0, { 1: 100 }),
      'open',
      /open is not a decimal string: 100/,
    ],
    ['an exponent', row(T0, { 5: '1e400' }), 'volume', /volume is not a decimal string/],
    [
      'a non-numeric quote volume',
      row(T0, { 7: null }),
      'quoteVolume',
      /quoteVolume is not a decimal string: null/,
    ],
    [
      'high below the close',
      row(T0, { 2: '104.00000000' }),
      'high',
      /high 104 is below max\(open 100, close 105\)/,
    ],
    ['high below low', row(T0, { 2: '90.00000000', 3: '95.00000000' }), 'high', /high 90 is below max/],
    [
      'low above the open',
      row(T0, { 3: '101.00000000' }),
      'low',
      /low 101 is above min\(open 100, close 105\)/,
    ],
    ['a zero price', row(T0, { 1: '0', 3: '0' }), 'low', /low 0 is not a positive price/],
    ['a negative price', row(T0, { 1: '-1', 3: '-2' }), 'low', /low -2 is not a positive price/],
    ['a negative volume', row(T0, { 5: '-1.00000000' }), 'volume', /volume -1 is negative/],
    ['a negative quote volume', row(T0, { 7: '-5.00000000' }), 'quoteVolume', /quoteVolume -5 is negative/],
    [
      'a wrong close time',
      row(T0, { 6: T0 + FIVE_MIN }),
      'closeTime',
      /close time .* is not open time \+ 300000 − 1/,
    ],
    [
      'a string close time',
      row(T0, { 6: String(T0 + FIVE_MIN - 1) }),
      'closeTime',
      /close time is not an integer/,
    ],
    ['a string open time', row(T0, { 0: String(T0) }), 'openTime', /open time is not an integer/],
    [
      'an open time off the 5m grid',
      row(T0 + 60_000, { 6: T0 + 60_000 + FIVE_MIN - 1 }),
      'openTime',
      /open time \d+ is not on a 5m boundary/,
    ],
    ['a fractional open time', row(T0, { 0: T0 + 0.5 }), 'openTime', /open time is not an integer/],
  ])('rejects %s, naming symbol, interval, open time, row and field', (_kind, bad, field, message) => {
    const error = errorOf(() => parseBinanceKlines([row(T0 - FIVE_MIN), bad], OPTIONS));
    expect(error).toBeInstanceOf(MalformedCandleError);
    const malformed = error as MalformedCandleError;
    expect(malformed.message).toMatch(message);
    expect(malformed.message).toMatch(/^BTCUSDT 5m: invalid kline/);
    expect(malformed.message).toMatch(/\(row 1\)$/);
    expect(malformed).toMatchObject({ symbol: 'BTCUSDT', interval: '5m', row: 1, field });
    if (bad[0] === T0 || bad[0] === T0 + 60_000) {
      expect(malformed.message).toContain(`at ${new Date(bad[0] as number).toISOString()}: `);
      expect(malformed.openTime).toBe(bad[0]);
    }
  });

  it('rejects a body or row that is not an array', () => {
    expect(errorOf(() => parseBinanceKlines({ code: -1 }, OPTIONS))).toMatchObject({
      name: 'MalformedCandleError',
      field: 'body',
    });
    expect(errorOf(() => parseBinanceKlines(['x'], OPTIONS))).toMatchObject({
      field: 'row',
      row: 0,
      message: expect.stringContaining('row is not an array: "x"'),
    });
  });

  it('refuses an interval it cannot measure', () => {
    expect(() => parseBinanceKlines([], { interval: '1M' })).toThrow(UnsupportedTimeframeError);
  });

  it('reports a missing candle as a gap with the expected and actual open times', () => {
    const error = errorOf(() => parseBinanceKlines([row(T0), row(T0 + 2 * FIVE_MIN)], OPTIONS));
    expect(error).toBeInstanceOf(KlineSequenceError);
    expect(error).toMatchObject({
      kind: 'gap',
      expectedOpenTime: T0 + FIVE_MIN,
      actualOpenTime: T0 + 2 * FIVE_MIN,
      row: 1,
    });
    expect(error.message).toBe(
      `BTCUSDT 5m: gap in candles: expected open time ${new Date(T0 + FIVE_MIN).toISOString()}, got ${new Date(T0 + 2 * FIVE_MIN).toISOString()} (row 1)`,
    );
  });

  it('rejects duplicated and out-of-order rows', () => {
    for (const gaps of ['reject', 'allow'] as const) {
      expect(errorOf(() => parseBinanceKlines([row(T0), row(T0)], { ...OPTIONS, gaps }))).toMatchObject({
        name: 'KlineSequenceError',
        kind: 'disorder',
      });
      expect(
        errorOf(() => parseBinanceKlines([row(T0 + FIVE_MIN), row(T0)], { ...OPTIONS, gaps })),
      ).toMatchObject({ kind: 'disorder', row: 1 });
    }
  });

  it('with gaps: "allow", keeps whole missing intervals (history with a halt) but not rows off the grid', () => {
    const withHole = parseBinanceKlines([row(T0), row(T0 + 3 * FIVE_MIN)], { ...OPTIONS, gaps: 'allow' });
    expect(withHole.map((c) => c.openTime)).toEqual([T0, T0 + 3 * FIVE_MIN]);
    // Rows off the grid are refused row by row up to 1d; for 1w (calendar weeks) the sequence catches them.
    const WEEK = 7 * 86_400_000;
    const weekly = (t: number) => row(t, { 6: t + WEEK - 1 });
    expect(
      parseBinanceKlines([weekly(T0), weekly(T0 + 2 * WEEK)], { interval: '1w', gaps: 'allow' }),
    ).toHaveLength(2);
    const offGrid = errorOf(() =>
      parseBinanceKlines([weekly(T0), weekly(T0 + WEEK + 60_000)], { interval: '1w', gaps: 'allow' }),
    );
    expect(offGrid).toMatchObject({ name: 'KlineSequenceError', kind: 'disorder' });
    expect(offGrid.message).toContain('candles out of order');
  });

  it('checks continuity with the stored series through the expected first open time', () => {
    expect(parseBinanceKlines([row(T0)], { ...OPTIONS, expectedFirstOpenTime: T0 })).toHaveLength(1);
    const error = errorOf(() =>
      parseBinanceKlines([row(T0 + FIVE_MIN)], { ...OPTIONS, expectedFirstOpenTime: T0 }),
    );
    expect(error).toBeInstanceOf(KlineSequenceError);
    expect(error.message).toContain(`expected open time ${new Date(T0).toISOString()}`);
  });
});

describe('assertValidCandle (the engine’s guard, same value rules)', () => {
  const good = {
    openTime: T0,
    closeTime: T0 + FIVE_MIN - 1,
    open: 10,
    high: 11,
    low: 9,
    close: 10.5,
    volume: 1,
  };

  it('accepts a consistent candle', () => {
    expect(() => assertValidCandle(good)).not.toThrow();
  });

  it.each([
    ['NaN close', { close: Number.NaN }, 'close'],
    ['infinite high', { high: Number.POSITIVE_INFINITY }, 'high'],
    ['infinite volume', { volume: Number.POSITIVE_INFINITY }, 'volume'],
    ['high below close', { high: 10.2 }, 'high'],
    ['low above open', { low: 10.1 }, 'low'],
    ['zero low', { low: 0 }, 'low'],
    ['negative volume', { volume: -1 }, 'volume'],
    ['close time not after open time', { closeTime: T0 }, 'closeTime'],
  ])('rejects %s naming the field', (_name, change, field) => {
    const error = errorOf(() => assertValidCandle({ ...good, ...change }));
    expect(error).toBeInstanceOf(MalformedCandleError);
    expect(error).toMatchObject({ field, openTime: T0 });
  });
});

describe('timeframes', () => {
  it('maps Binance intervals to milliseconds and back', () => {
    expect(timeframeToMs('5m')).toBe(300_000);
    expect(timeframeToMs('4h')).toBe(14_400_000);
    expect(timeframeFromMs(86_400_000)).toBe('1d');
    expect(() => timeframeToMs('1M')).toThrow(UnsupportedTimeframeError);
  });
});
