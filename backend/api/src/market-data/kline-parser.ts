import { BinanceInterval } from '../config/app-config';
import { intervalMs } from './interval-ms';
import { MarketCandle } from './market-candle';
import { InvalidKlineError, KlineGapError } from './market-data.errors';

const DECIMAL = /^-?\d+(\.\d+)?$/;
const FIELD_COUNT = 12;
const DECIMAL_FIELDS: readonly [number, string][] = [
  [1, 'open'],
  [2, 'high'],
  [3, 'low'],
  [4, 'close'],
  [5, 'volume'],
  [7, 'quoteVolume'],
];

/**
 * Parses a `/api/v3/klines` body into candles, validating every row: 12 fields, decimal strings that
 * parse to finite numbers, high ≥ max(open, close), low ≤ min(open, close), volumes ≥ 0,
 * closeTime = openTime + interval − 1, and open times strictly increasing by exactly one interval
 * (from `expectedFirstOpenTime` when given). Throws on the first bad row: all or nothing.
 */
export function parseKlines(
  body: unknown,
  symbol: string,
  interval: BinanceInterval,
  expectedFirstOpenTime: number | null = null,
): MarketCandle[] {
  if (!Array.isArray(body)) throw new InvalidKlineError(symbol, interval, null, `expected a JSON array, got ${typeof body}`);
  const step = intervalMs(interval);
  const calendarMonths = interval === '1M';
  const candles: MarketCandle[] = [];
  let expected = expectedFirstOpenTime;
  for (const row of body as unknown[]) {
    const candle = parseRow(row, symbol, interval, step, calendarMonths);
    if (expected !== null && candle.openTime !== expected && !(calendarMonths && candle.openTime > (candles.at(-1)?.openTime ?? -Infinity))) {
      throw new KlineGapError(symbol, interval, expected, candle.openTime);
    }
    candles.push(candle);
    expected = calendarMonths ? null : candle.openTime + step;
  }
  return candles;
}

function parseRow(row: unknown, symbol: string, interval: BinanceInterval, step: number, calendarMonths: boolean): MarketCandle {
  const openTime = Array.isArray(row) && Number.isSafeInteger(row[0]) ? (row[0] as number) : null;
  const fail = (reason: string): never => {
    throw new InvalidKlineError(symbol, interval, openTime, reason);
  };
  if (!Array.isArray(row)) return fail(`row is not an array: ${JSON.stringify(row)?.slice(0, 80)}`);
  if (row.length !== FIELD_COUNT) fail(`expected ${FIELD_COUNT} fields, got ${row.length}`);
  if (openTime === null) fail(`open time is not an integer: ${JSON.stringify(row[0])}`);
  if (!Number.isSafeInteger(row[6])) fail(`close time is not an integer: ${JSON.stringify(row[6])}`);
  const values: Record<string, number> = {};
  for (const [index, name] of DECIMAL_FIELDS) {
    const text: unknown = row[index];
    const value = typeof text === 'string' && DECIMAL.test(text) ? Number(text) : NaN;
    if (!Number.isFinite(value)) fail(`${name} is not a decimal string: ${JSON.stringify(text)}`);
    values[name] = value;
  }
  const candle: MarketCandle = {
    openTime: openTime as number,
    closeTime: row[6] as number,
    open: values.open,
    high: values.high,
    low: values.low,
    close: values.close,
    volume: values.volume,
    quoteVolume: values.quoteVolume,
  };
  checkValues(candle, step, calendarMonths, fail);
  return candle;
}

function checkValues(candle: MarketCandle, step: number, calendarMonths: boolean, fail: (reason: string) => never): void {
  if (candle.high < Math.max(candle.open, candle.close)) fail(`high ${candle.high} is below max(open ${candle.open}, close ${candle.close})`);
  if (candle.low > Math.min(candle.open, candle.close)) fail(`low ${candle.low} is above min(open ${candle.open}, close ${candle.close})`);
  if (candle.low <= 0) fail(`low ${candle.low} is not a positive price`);
  if (candle.volume < 0) fail(`volume ${candle.volume} is negative`);
  if (candle.quoteVolume < 0) fail(`quoteVolume ${candle.quoteVolume} is negative`);
  if (!calendarMonths && candle.closeTime !== candle.openTime + step - 1) {
    fail(`close time ${candle.closeTime} is not open time + ${step} − 1`);
  }
}
