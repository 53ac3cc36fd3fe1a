import type { Candle } from '../candles/candle.types';
import type { CandleSpan, FineCandleSource } from '../lifecycle/same-candle';

/**
 * A FineCandleSource over finer candles held in memory (e.g. the 1m files of a backtest's data
 * folder), each symbol's sorted by open time: a binary search finds a span's candles.
 */
export function fineCandleSource(bySymbol: Readonly<Record<string, readonly Candle[]>>): FineCandleSource {
  return (span: CandleSpan) => {
    const candles = bySymbol[span.symbol];
    if (candles === undefined || candles.length === 0) return null;
    let lo = 0;
    let hi = candles.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (candles[mid].openTime < span.openTime) lo = mid + 1;
      else hi = mid;
    }
    let end = lo;
    while (end < candles.length && candles[end].openTime <= span.closeTime) end++;
    return end === lo ? null : candles.slice(lo, end);
  };
}
