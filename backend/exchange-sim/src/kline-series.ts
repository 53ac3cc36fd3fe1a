import { roundTo } from './decimal';
import { KlineBar, klineRowJson } from './kline-bar';
import { KlineInterval, intervalMs } from './intervals';

/** Column storage of one symbol + interval; times already carry the replay's time offset. */
export interface KlineColumns {
  openTime: Float64Array;
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
  quoteVolume: Float64Array;
  trades: Float64Array;
  takerBuyBase: Float64Array;
  takerBuyQuote: Float64Array;
}

export function allocateColumns(length: number): KlineColumns {
  return {
    openTime: new Float64Array(length),
    open: new Float64Array(length),
    high: new Float64Array(length),
    low: new Float64Array(length),
    close: new Float64Array(length),
    volume: new Float64Array(length),
    quoteVolume: new Float64Array(length),
    trades: new Float64Array(length),
    takerBuyBase: new Float64Array(length),
    takerBuyQuote: new Float64Array(length),
  };
}

/** A cloned symbol reuses a real series' columns with prices and volumes scaled on read. */
export interface SeriesScale {
  price: number;
  volume: number;
  priceDecimals: number;
  quantityDecimals: number;
}

/**
 * Closed candles of one symbol and interval. Real files arrive with their wire rows already formatted
 * (serving 1000 rows is a slice and a join); cloned series format a row each time it is served and keep
 * nothing: a cache of millions of short strings (a warm-up of thousands of cloned series) makes every
 * major collection of the simulator's heap a pause of a second, which delays the finals it pushes.
 */
export class KlineSeries {
  readonly intervalMs: number;
  readonly length: number;
  private readonly rows: readonly string[] | undefined;

  constructor(
    readonly symbol: string,
    readonly interval: KlineInterval,
    readonly columns: KlineColumns,
    preformattedRows?: string[],
    readonly scale?: SeriesScale,
  ) {
    this.intervalMs = intervalMs(interval);
    this.length = columns.openTime.length;
    this.rows = preformattedRows;
  }

  get firstOpenTime(): number {
    return this.length > 0 ? this.columns.openTime[0]! : Number.NaN;
  }

  get lastOpenTime(): number {
    return this.length > 0 ? this.columns.openTime[this.length - 1]! : Number.NaN;
  }

  openTimeAt(index: number): number {
    return this.columns.openTime[index]!;
  }

  bar(index: number): KlineBar {
    const c = this.columns;
    const openTime = c.openTime[index]!;
    const bar: KlineBar = {
      openTime,
      closeTime: openTime + this.intervalMs - 1,
      open: c.open[index]!,
      high: c.high[index]!,
      low: c.low[index]!,
      close: c.close[index]!,
      volume: c.volume[index]!,
      quoteVolume: c.quoteVolume[index]!,
      trades: c.trades[index]!,
      takerBuyBase: c.takerBuyBase[index]!,
      takerBuyQuote: c.takerBuyQuote[index]!,
    };
    return this.scale ? scaleBar(bar, this.scale) : bar;
  }

  rowJson(index: number): string {
    return this.rows?.[index] ?? klineRowJson(this.bar(index));
  }

  /** First index whose open time is >= t (length when none). */
  lowerBound(t: number): number {
    const times = this.columns.openTime;
    let lo = 0;
    let hi = this.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (times[mid]! < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Index of the candle opening exactly at t, or -1. */
  indexOf(t: number): number {
    const i = this.lowerBound(t);
    return i < this.length && this.columns.openTime[i] === t ? i : -1;
  }
}

function scaleBar(bar: KlineBar, s: SeriesScale): KlineBar {
  const p = (x: number) => roundTo(x * s.price, s.priceDecimals);
  const q = (x: number) => roundTo(x * s.volume, s.quantityDecimals);
  return {
    ...bar,
    open: p(bar.open),
    high: p(bar.high),
    low: p(bar.low),
    close: p(bar.close),
    volume: q(bar.volume),
    quoteVolume: bar.quoteVolume * s.price * s.volume,
    takerBuyBase: q(bar.takerBuyBase),
    takerBuyQuote: bar.takerBuyQuote * s.price * s.volume,
  };
}
