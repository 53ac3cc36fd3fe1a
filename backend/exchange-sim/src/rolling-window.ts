import { ONE_DAY_MS } from './intervals';
import { KlineSeries } from './kline-series';
import { candleAsOf } from './partial-candle';
import { SymbolSeries } from './symbol-series';

/** 24h rolling statistics of one symbol as of a virtual instant, in numbers. */
export interface RollingStats {
  openTime: number;
  closeTime: number;
  openPrice: number;
  highPrice: number;
  lowPrice: number;
  lastPrice: number;
  prevClosePrice: number;
  volume: number;
  quoteVolume: number;
  /** Trades in the window; synthetic when the data has no trade counts (see README). */
  count: number;
  firstId: number;
  lastId: number;
}

/** Market faults as seen by one symbol's series (see MarketSchedule). */
export interface SeriesFaultView {
  missing(series: KlineSeries, openTime: number): boolean;
  /** The instant the open candle of `series` is shown as of (now, or when its trading stopped). */
  tradingTime(series: KlineSeries): number;
}

/**
 * Rolling window (now − 24h, now] computed from the finest series that covers it: every candle whose
 * open time is ≥ now − 24h, the last one being the still-open candle as of `now`. A symbol whose data
 * ended before `now` shows its last price with zero volume, like a market without trades.
 */
export function rollingStats(
  set: SymbolSeries,
  now: number,
  windowMs = ONE_DAY_MS,
  view?: SeriesFaultView,
): RollingStats | undefined {
  const windowStart = now - windowMs;
  const series = pickSeries(set, windowStart, now);
  if (!series) return undefined;
  const missing = (i: number) => view !== undefined && view.missing(series, series.openTimeAt(i));
  let end = series.lowerBound(now + 1) - 1; // newest candle opened by now (that exists)
  while (end >= 0 && missing(end)) end--;
  const asOf = view ? view.tradingTime(series) : now;
  const start = series.lowerBound(windowStart);
  const empty: RollingStats = {
    openTime: windowStart,
    closeTime: now,
    openPrice: 0,
    highPrice: 0,
    lowPrice: 0,
    lastPrice: 0,
    prevClosePrice: 0,
    volume: 0,
    quoteVolume: 0,
    count: 0,
    firstId: -1,
    lastId: -1,
  };
  if (start > end) {
    const lastClose = end >= 0 ? candleAsOf(set, series, end, asOf).close : 0;
    return {
      ...empty,
      openPrice: lastClose,
      highPrice: lastClose,
      lowPrice: lastClose,
      lastPrice: lastClose,
      prevClosePrice: lastClose,
    };
  }
  const last = candleAsOf(set, series, end, asOf);
  // Closed candles straight from the columns (the hot path of an all-symbols ticker); a cloned series'
  // scale is applied to the totals, which is exact for high/low because the factors are positive.
  const c = series.columns;
  const priceScale = series.scale?.price ?? 1;
  const volumeScale = series.scale?.volume ?? 1;
  let high = -Infinity;
  let low = Infinity;
  let rawVolume = 0;
  let rawQuote = 0;
  let count = 0;
  let firstTraded = -1;
  for (let i = start; i < end; i++) {
    if (missing(i)) continue;
    const v = c.volume[i]!;
    rawVolume += v;
    rawQuote += c.quoteVolume[i]!;
    if (v > 0) {
      if (firstTraded < 0) firstTraded = i;
      if (c.high[i]! > high) high = c.high[i]!;
      if (c.low[i]! < low) low = c.low[i]!;
      const trades = c.trades[i]!;
      count += trades > 0 ? trades : 1;
    }
  }
  let volume = rawVolume * volumeScale;
  let quoteVolume = rawQuote * priceScale * volumeScale;
  high *= priceScale;
  low *= priceScale;
  let openPrice = firstTraded >= 0 ? series.bar(firstTraded).open : Number.NaN;
  volume += last.volume;
  quoteVolume += last.quoteVolume;
  if (last.volume > 0) {
    if (Number.isNaN(openPrice)) openPrice = last.open;
    high = Math.max(high, last.high);
    low = Math.min(low, last.low);
    count += last.trades > 0 ? last.trades : 1;
  }
  let prevIndex = start - 1;
  while (prevIndex >= 0 && missing(prevIndex)) prevIndex--;
  const prevClose = prevIndex >= 0 ? series.bar(prevIndex).close : series.bar(start).open;
  if (Number.isNaN(openPrice)) {
    return {
      ...empty,
      openPrice: last.close,
      highPrice: last.close,
      lowPrice: last.close,
      lastPrice: last.close,
      prevClosePrice: prevClose,
    };
  }
  const firstId = count > 0 ? start + 1 : -1;
  return {
    openTime: windowStart,
    closeTime: now,
    openPrice,
    highPrice: high,
    lowPrice: low,
    lastPrice: last.close,
    prevClosePrice: prevClose,
    volume,
    quoteVolume,
    count,
    firstId,
    lastId: count > 0 ? firstId + count - 1 : -1,
  };
}

function pickSeries(set: SymbolSeries, windowStart: number, now: number): KlineSeries | undefined {
  const started = set.all().filter((s) => s.length > 0 && s.firstOpenTime <= now);
  const covering = started.find((s) => s.firstOpenTime <= windowStart && s.lastOpenTime + s.intervalMs > now);
  return covering ?? started.find((s) => s.lastOpenTime + s.intervalMs > now) ?? started[started.length - 1];
}
