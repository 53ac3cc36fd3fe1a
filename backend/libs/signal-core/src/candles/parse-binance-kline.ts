import { MalformedCandleError } from '../errors/malformed-candle.error';
import type { Candle } from './candle.types';

function decimal(row: readonly unknown[], index: number, name: string, openTime: number): number {
  const raw = row[index];
  const value = typeof raw === 'string' ? Number(raw) : typeof raw === 'number' ? raw : Number.NaN;
  if (!Number.isFinite(value) || (typeof raw === 'string' && raw.trim() === '')) {
    throw new MalformedCandleError(`kline ${openTime}: ${name} is not a number (${JSON.stringify(raw)})`, openTime);
  }
  return value;
}

/** Throws MalformedCandleError unless the prices are finite, positive and high/low enclose open/close. */
export function assertValidCandle(c: Candle): void {
  const { open, high, low, close } = c;
  if (!(low > 0) || !(high >= low) || !(open >= low && open <= high) || !(close >= low && close <= high)) {
    throw new MalformedCandleError(
      `kline ${c.openTime}: inconsistent prices o=${open} h=${high} l=${low} c=${close} (need 0 < low <= open, close <= high)`,
      c.openTime,
    );
  }
  if (!(c.closeTime > c.openTime) || !Number.isFinite(c.volume) || c.volume < 0) {
    throw new MalformedCandleError(`kline ${c.openTime}: bad closeTime ${c.closeTime} or volume ${c.volume}`, c.openTime);
  }
}

/** Turns one Binance REST/WS kline row into a validated Candle. */
export function parseBinanceKline(row: unknown): Candle {
  if (!Array.isArray(row) || row.length < 7) {
    throw new MalformedCandleError(`kline row must be an array of at least 7 fields, got ${JSON.stringify(row)}`);
  }
  const openTime = row[0];
  const closeTime = row[6];
  if (!Number.isSafeInteger(openTime) || !Number.isSafeInteger(closeTime)) {
    throw new MalformedCandleError(`kline times must be integers, got ${JSON.stringify([openTime, closeTime])}`);
  }
  const candle: Candle = {
    openTime: openTime as number,
    closeTime: closeTime as number,
    open: decimal(row, 1, 'open', openTime as number),
    high: decimal(row, 2, 'high', openTime as number),
    low: decimal(row, 3, 'low', openTime as number),
    close: decimal(row, 4, 'close', openTime as number),
    volume: decimal(row, 5, 'volume', openTime as number),
  };
  assertValidCandle(candle);
  return candle;
}

export function parseBinanceKlines(rows: readonly unknown[]): Candle[] {
  return rows.map(parseBinanceKline);
}
