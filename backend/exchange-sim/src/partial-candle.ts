import { roundTo } from './decimal';
import { KlineBar } from './kline-bar';
import { KlineSeries } from './kline-series';
import { SymbolSeries } from './symbol-series';

/**
 * The candle at `index` as the exchange would show it at virtual time `now`.
 *
 * A closed candle is returned as stored. A still-open candle is rebuilt from the finer candles that
 * have opened so far (4h from 1h, 1h from 15m, 15m from 5m, …, recursively), so it agrees with what
 * the finer intervals already show. Only where no finer data covers the candle is it approximated
 * (see approximateOpenCandle).
 */
export function candleAsOf(set: SymbolSeries, series: KlineSeries, index: number, now: number): KlineBar {
  const openTime = series.openTimeAt(index);
  const closeTime = openTime + series.intervalMs - 1;
  if (now >= closeTime) return series.bar(index);
  for (const finer of set.finerTiling(series)) {
    const start = finer.indexOf(openTime);
    if (start < 0) continue;
    const parts: KlineBar[] = [];
    for (let j = start; j < finer.length && finer.openTimeAt(j) <= now; j++) {
      parts.push(candleAsOf(set, finer, j, now));
    }
    const last = parts[parts.length - 1]!;
    if (last.openTime + finer.intervalMs <= now) continue; // finer data ends before now
    return { ...aggregateBars(parts), openTime, closeTime };
  }
  return approximateOpenCandle(series.bar(index), now, set.priceDecimals, set.quantityDecimals);
}

/**
 * Combines consecutive candles into one, as Binance does: candles without volume (fill candles,
 * o=h=l=c=previous close, or a finer candle that has just opened and has no trade yet) add no prices
 * unless every candle is empty. The close is the last traded price, so it is always within the wicks.
 */
export function aggregateBars(parts: readonly KlineBar[]): KlineBar {
  const first = parts[0];
  if (!first) throw new Error('aggregateBars needs at least one candle');
  const traded = parts.filter((b) => b.volume > 0);
  const priced = traded.length > 0 ? traded : parts;
  let high = -Infinity;
  let low = Infinity;
  let volume = 0;
  let quoteVolume = 0;
  let trades = 0;
  let takerBuyBase = 0;
  let takerBuyQuote = 0;
  for (const b of priced) {
    if (b.high > high) high = b.high;
    if (b.low < low) low = b.low;
  }
  for (const b of parts) {
    volume += b.volume;
    quoteVolume += b.quoteVolume;
    trades += b.trades;
    takerBuyBase += b.takerBuyBase;
    takerBuyQuote += b.takerBuyQuote;
  }
  const last = parts[parts.length - 1]!;
  return {
    openTime: first.openTime,
    closeTime: last.closeTime,
    open: priced[0]!.open,
    high,
    low,
    close: priced[priced.length - 1]!.close,
    volume,
    quoteVolume,
    trades,
    takerBuyBase,
    takerBuyQuote,
  };
}

/**
 * Progress of an open candle with no finer data below it. With f = elapsed / interval:
 * open is known; close moves linearly from open toward the final close; the wicks beyond the body grow
 * in proportion to f, so high ≤ final high and low ≥ final low at every instant and the candle meets
 * the stored one exactly when it closes; volumes and trades grow linearly.
 */
export function approximateOpenCandle(
  final: KlineBar,
  now: number,
  priceDecimals: number,
  quantityDecimals: number,
): KlineBar {
  const length = final.closeTime + 1 - final.openTime;
  const f = Math.min(1, Math.max(0, (now - final.openTime) / length));
  const price = (x: number) => roundTo(x, priceDecimals);
  const close = price(final.open + (final.close - final.open) * f);
  const upperWick = final.high - Math.max(final.open, final.close);
  const lowerWick = Math.min(final.open, final.close) - final.low;
  return {
    openTime: final.openTime,
    closeTime: final.closeTime,
    open: final.open,
    high: Math.min(final.high, price(Math.max(final.open, close) + upperWick * f)),
    low: Math.max(final.low, price(Math.min(final.open, close) - lowerWick * f)),
    close,
    volume: roundTo(final.volume * f, quantityDecimals),
    quoteVolume: final.quoteVolume * f,
    trades: Math.floor(final.trades * f),
    takerBuyBase: roundTo(final.takerBuyBase * f, quantityDecimals),
    takerBuyQuote: final.takerBuyQuote * f,
  };
}
