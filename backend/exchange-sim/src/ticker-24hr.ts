import { format8, roundTo, stepString } from './decimal';
import { ONE_DAY_MS } from './intervals';
import { RollingStats, SeriesFaultView, rollingStats } from './rolling-window';
import { StaticTicker, SymbolEntry } from './symbol-catalog';

export type TickerType = 'FULL' | 'MINI';

/** GET /api/v3/ticker/24hr object for one symbol as of virtual time `now`. */
export function ticker24hr(
  entry: SymbolEntry,
  now: number,
  type: TickerType,
  view?: SeriesFaultView,
): Record<string, unknown> {
  const stats =
    (entry.series && rollingStats(entry.series, now, ONE_DAY_MS, view)) || staticStats(entry.ticker, now);
  const price = (x: number) => format8(roundTo(x, entry.priceDecimals));
  const mini = {
    symbol: entry.symbol,
    openPrice: price(stats.openPrice),
    highPrice: price(stats.highPrice),
    lowPrice: price(stats.lowPrice),
    lastPrice: price(stats.lastPrice),
    volume: format8(stats.volume),
    quoteVolume: format8(stats.quoteVolume),
    openTime: stats.openTime,
    closeTime: stats.closeTime,
    firstId: stats.firstId,
    lastId: stats.lastId,
    count: stats.count,
  };
  if (type === 'MINI') return mini;
  const change = stats.lastPrice - stats.openPrice;
  const tick = 10 ** -entry.priceDecimals;
  const lot = stepString(entry.quantityDecimals);
  return {
    symbol: entry.symbol,
    priceChange: price(change),
    priceChangePercent: stats.openPrice > 0 ? ((change / stats.openPrice) * 100).toFixed(3) : '0.000',
    weightedAvgPrice: stats.volume > 0 ? format8(stats.quoteVolume / stats.volume) : price(stats.lastPrice),
    prevClosePrice: price(stats.prevClosePrice),
    lastPrice: mini.lastPrice,
    lastQty: lot,
    bidPrice: mini.lastPrice,
    bidQty: lot,
    askPrice: stats.lastPrice > 0 ? price(stats.lastPrice + tick) : mini.lastPrice,
    askQty: lot,
    openPrice: mini.openPrice,
    highPrice: mini.highPrice,
    lowPrice: mini.lowPrice,
    volume: mini.volume,
    quoteVolume: mini.quoteVolume,
    openTime: mini.openTime,
    closeTime: mini.closeTime,
    firstId: mini.firstId,
    lastId: mini.lastId,
    count: mini.count,
  };
}

function staticStats(ticker: StaticTicker | undefined, now: number): RollingStats {
  const t = ticker ?? { lastPrice: 0, volume: 0 };
  const open = t.openPrice ?? t.lastPrice;
  const count = t.count ?? (t.volume > 0 ? 1000 : 0);
  return {
    openTime: now - ONE_DAY_MS,
    closeTime: now,
    openPrice: open,
    highPrice: t.highPrice ?? Math.max(open, t.lastPrice),
    lowPrice: t.lowPrice ?? Math.min(open, t.lastPrice),
    lastPrice: t.lastPrice,
    prevClosePrice: open,
    volume: t.volume,
    quoteVolume: t.quoteVolume ?? t.volume * t.lastPrice,
    count,
    firstId: count > 0 ? 1 : -1,
    lastId: count > 0 ? count : -1,
  };
}
