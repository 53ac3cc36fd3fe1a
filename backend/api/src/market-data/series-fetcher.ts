import { BinanceInterval } from '../config/app-config';
import { BinanceClient } from './binance-client';
import { intervalMs } from './interval-ms';
import { MarketCandle } from './market-candle';

/** Binance's maximum klines per call; a call weighs 2 whatever its limit, so we always ask for it. */
export const KLINES_PAGE = 1000;
/** Pages one scan may fetch to catch up after downtime; the next scans continue from there. */
export const MAX_CATCH_UP_PAGES = 3;

export interface FetchedSeries {
  closed: MarketCandle[];
  open: MarketCandle | null;
  /** True when the series is not caught up yet (more closed candles wait on the exchange). */
  behind: boolean;
}

/**
 * Fetches what is new for one symbol + interval. Cold (nothing stored): the newest 1000 klines.
 * Steady: from the open time after the newest stored candle, which the first row must match
 * (continuity), paging when more than a page is missing. The last row of the newest page is the
 * still-open candle; it is returned apart and never stored.
 */
export async function fetchNewCandles(
  client: BinanceClient,
  symbol: string,
  interval: BinanceInterval,
  lastStoredOpenTime: number | undefined,
): Promise<FetchedSeries> {
  if (lastStoredOpenTime === undefined) {
    const rows = await client.klines(symbol, interval, { limit: KLINES_PAGE });
    return { closed: rows.slice(0, -1), open: rows.at(-1) ?? null, behind: false };
  }
  const closed: MarketCandle[] = [];
  let start = lastStoredOpenTime + intervalMs(interval);
  for (let page = 0; page < MAX_CATCH_UP_PAGES; page++) {
    const rows = await client.klines(symbol, interval, { startTime: start, limit: KLINES_PAGE }, start);
    if (rows.length < KLINES_PAGE) {
      closed.push(...rows.slice(0, -1));
      return { closed, open: rows.at(-1) ?? null, behind: false };
    }
    // A full page: its last row may still be closed; the next page starts at it (overlapping by one).
    closed.push(...rows.slice(0, -1));
    start = rows[rows.length - 1].openTime;
  }
  return { closed, open: null, behind: true };
}
