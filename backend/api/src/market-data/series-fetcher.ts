import { BinanceInterval } from '../config';
import { BinanceClient } from './binance-client';
import { CandleGap } from './candle-gap-store';
import { intervalMs } from './interval-ms';
import { MarketCandle } from './market-candle';
import { MarketDataError } from './market-data.errors';

/** Binance's maximum klines per call; a call weighs 2 whatever its limit, so we always ask for it. */
export const KLINES_PAGE = 1000;
/** Pages one scan may fetch to catch up after downtime; the next scans continue from there. */
export const MAX_CATCH_UP_PAGES = 3;

export interface FetchedSeries {
  closed: MarketCandle[];
  open: MarketCandle | null;
  /** True when the series is not caught up yet (more closed candles wait on the exchange). */
  behind: boolean;
  /** Holes in the exchange's candles met on the way (trading was suspended), oldest first. */
  gaps: CandleGap[];
  /** Exchange time when the newest answer arrived: when the open candle was seen as it is. */
  observedAt: number;
  /** Set when no candle at or after this open time exists yet: the series is not trading now. */
  quietSince: number | null;
}

/**
 * Fetches what is new for one symbol + interval. Cold (nothing stored): the newest 1000 klines.
 * Steady: from the open time after the newest stored candle, paging when more than a page is missing.
 * The last row of the newest page is the still-open candle; it is returned apart and never stored.
 *
 * A hole is a fact, not an error (Binance generates no kline while trading is suspended, and nothing
 * fills it later): when the first candle answered opens later than asked for, one request bounded by
 * endTime confirms that nothing exists in between, the hole is reported and the series continues from
 * the first candle after it. Holes between rows of one answer need no confirmation (the answer covers
 * that range).
 */
export async function fetchNewCandles(
  client: BinanceClient,
  symbol: string,
  interval: BinanceInterval,
  lastStoredOpenTime: number | undefined,
  exchangeNow: () => number = Date.now,
): Promise<FetchedSeries> {
  const step = intervalMs(interval);
  const gaps: CandleGap[] = [];
  if (lastStoredOpenTime === undefined) {
    const rows = await client.klines(symbol, interval, { limit: KLINES_PAGE }, null, 'allow');
    const observedAt = exchangeNow();
    gaps.push(...holesBetween(symbol, interval, rows, step));
    return {
      closed: rows.slice(0, -1),
      open: rows.at(-1) ?? null,
      behind: false,
      gaps,
      observedAt,
      quietSince: null,
    };
  }
  const closed: MarketCandle[] = [];
  let start = lastStoredOpenTime + step;
  for (let page = 0; page < MAX_CATCH_UP_PAGES; page++) {
    const rows = await client.klines(
      symbol,
      interval,
      { startTime: start, limit: KLINES_PAGE },
      null,
      'allow',
    );
    const observedAt = exchangeNow();
    if (rows.length === 0) return { closed, open: null, behind: false, gaps, observedAt, quietSince: start };
    const first = rows[0].openTime;
    if (first < start || (page > 0 && first !== start)) {
      throw new MarketDataError(
        `${symbol} ${interval}: asked for candles from ${iso(start)}, the exchange answered from ${iso(first)}`,
      );
    }
    if (first > start) gaps.push(await confirmedHole(client, symbol, interval, start, first));
    gaps.push(...holesBetween(symbol, interval, rows, step));
    closed.push(...rows.slice(0, -1));
    if (rows.length < KLINES_PAGE)
      return { closed, open: rows.at(-1) ?? null, behind: false, gaps, observedAt, quietSince: null };
    // A full page: its last row may still be closed; the next page starts at it (overlapping by one).
    start = rows[rows.length - 1].openTime;
  }
  return { closed, open: null, behind: true, gaps, observedAt: exchangeNow(), quietSince: null };
}

/** [from, to) is a hole only if the exchange, asked for exactly that range, has nothing in it. */
async function confirmedHole(
  client: BinanceClient,
  symbol: string,
  interval: BinanceInterval,
  from: number,
  to: number,
): Promise<CandleGap> {
  const inside = await client.klines(
    symbol,
    interval,
    { startTime: from, endTime: to - 1, limit: 1 },
    null,
    'allow',
  );
  if (inside.length > 0) {
    throw new MarketDataError(
      `${symbol} ${interval}: the exchange's answers disagree: from ${iso(from)} it answered first ${iso(to)}, ` +
        `but a candle at ${iso(inside[0].openTime)} exists before it; not stored, retried on the next scan`,
    );
  }
  return { symbol, interval, from, to };
}

function holesBetween(
  symbol: string,
  interval: string,
  rows: readonly MarketCandle[],
  step: number,
): CandleGap[] {
  const holes: CandleGap[] = [];
  for (let i = 1; i < rows.length; i++) {
    const expected = rows[i - 1].openTime + step;
    if (rows[i].openTime > expected) holes.push({ symbol, interval, from: expected, to: rows[i].openTime });
  }
  return holes;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
