import { MalformedCandleError } from '../errors/malformed-candle.error';
import { UnsupportedTimeframeError } from '../errors/unsupported-timeframe.error';
import { parseBinanceKline } from './parse-binance-kline';
import { timeframeFromMs, timeframeToMs } from './timeframe';

describe('parseBinanceKline', () => {
  const row = [1722211200000, '68249.88000000', '68279.63000000', '68190.00000000', '68190.00000000', '66.80992000', 1722211499999, '0', 0, '0', '0', '0'];

  it('turns a Binance kline row into numbers', () => {
    expect(parseBinanceKline(row)).toEqual({
      openTime: 1722211200000, closeTime: 1722211499999, open: 68249.88, high: 68279.63, low: 68190, close: 68190, volume: 66.80992,
    });
  });

  it.each([
    ['a short row', row.slice(0, 5)],
    ['a non-numeric price', [...row.slice(0, 2), 'abc', ...row.slice(3)]],
    ['an empty price', [...row.slice(0, 4), '', ...row.slice(5)]],
    ['high below low', [row[0], '10', '9', '11', '10', '1', row[6]]],
    ['close outside the range', [row[0], '10', '11', '9', '12', '1', row[6]]],
    ['a string open time', ['1722211200000', ...row.slice(1)]],
  ])('rejects %s with MalformedCandleError', (_name, bad) => {
    expect(() => parseBinanceKline(bad)).toThrow(MalformedCandleError);
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
