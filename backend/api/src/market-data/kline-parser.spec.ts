import { parseKlines } from './kline-parser';
import { InvalidKlineError, KlineGapError } from './market-data.errors';

const T0 = Date.UTC(2024, 7, 5, 0, 0);
const FIVE_MIN = 300_000;

/** A valid Binance kline row for the candle opening at `openTime`. */
function row(openTime: number, overrides: Partial<Record<number, unknown>> = {}): unknown[] {
  const base: unknown[] = [openTime, '100.00000000', '110.00000000', '95.00000000', '105.00000000', '12.50000000', openTime + FIVE_MIN - 1, '1300.00000000', 42, '6.0', '630.0', '0'];
  for (const [index, value] of Object.entries(overrides)) base[Number(index)] = value;
  return base;
}

function errorOf(body: unknown, expectedFirst: number | null = null): Error {
  try {
    parseKlines(body, 'BTCUSDT', '5m', expectedFirst);
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected parseKlines to throw');
}

describe('parseKlines', () => {
  it('parses valid rows into numbers, oldest first', () => {
    const candles = parseKlines([row(T0), row(T0 + FIVE_MIN)], 'BTCUSDT', '5m');
    expect(candles).toEqual([
      { openTime: T0, closeTime: T0 + FIVE_MIN - 1, open: 100, high: 110, low: 95, close: 105, volume: 12.5, quoteVolume: 1300 },
      expect.objectContaining({ openTime: T0 + FIVE_MIN }),
    ]);
  });

  it('accepts an empty answer', () => {
    expect(parseKlines([], 'BTCUSDT', '5m', T0)).toEqual([]);
  });

  it.each([
    ['a row with 11 fields', row(T0).slice(0, 11), /expected 12 fields, got 11/],
    ['a non-numeric close', row(T0, { 4: 'abc' }), /close is not a decimal string: "abc"/],
    ['a number instead of a decimal string', row(T0, { 1: 100 }), /open is not a decimal string: 100/],
    ['an infinite value', row(T0, { 5: '1e400' }), /volume is not a decimal string/],
    ['high below the close', row(T0, { 2: '104.00000000' }), /high 104 is below max\(open 100, close 105\)/],
    ['high below low', row(T0, { 2: '90.00000000', 3: '95.00000000' }), /high 90 is below max/],
    ['low above the open', row(T0, { 3: '101.00000000' }), /low 101 is above min\(open 100, close 105\)/],
    ['a negative volume', row(T0, { 5: '-1.00000000' }), /volume -1 is negative/],
    ['a negative quote volume', row(T0, { 7: '-5.00000000' }), /quoteVolume -5 is negative/],
    ['a wrong close time', row(T0, { 6: T0 + FIVE_MIN }), /close time .* is not open time \+ 300000 − 1/],
    ['a string open time', row(T0, { 0: String(T0) }), /open time is not an integer/],
  ])('rejects %s, naming symbol, interval and open time', (_kind, bad, message) => {
    const error = errorOf([row(T0 - FIVE_MIN), bad]);
    expect(error).toBeInstanceOf(InvalidKlineError);
    expect(error.message).toMatch(message);
    expect(error.message).toMatch(/^BTCUSDT 5m: invalid kline/);
    if (typeof (bad as unknown[])[0] === 'number') expect(error.message).toContain(new Date(T0).toISOString());
  });

  it('rejects a body that is not an array', () => {
    expect(errorOf({ code: -1 })).toBeInstanceOf(InvalidKlineError);
  });

  it('reports a missing candle as a gap with the expected and actual open times', () => {
    const error = errorOf([row(T0), row(T0 + 2 * FIVE_MIN)]);
    expect(error).toBeInstanceOf(KlineGapError);
    expect(error.message).toBe(
      `BTCUSDT 5m: gap in candles: expected open time ${new Date(T0 + FIVE_MIN).toISOString()}, got ${new Date(T0 + 2 * FIVE_MIN).toISOString()}; response discarded`,
    );
  });

  it('rejects duplicated and out-of-order rows', () => {
    expect(errorOf([row(T0), row(T0)])).toBeInstanceOf(KlineGapError);
    expect(errorOf([row(T0 + FIVE_MIN), row(T0)])).toBeInstanceOf(KlineGapError);
  });

  it('checks continuity with the stored series through the expected first open time', () => {
    expect(parseKlines([row(T0)], 'BTCUSDT', '5m', T0)).toHaveLength(1);
    const error = errorOf([row(T0 + FIVE_MIN)], T0);
    expect(error).toBeInstanceOf(KlineGapError);
    expect(error.message).toContain(`expected open time ${new Date(T0).toISOString()}`);
  });
});
