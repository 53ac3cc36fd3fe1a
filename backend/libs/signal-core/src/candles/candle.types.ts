/** A kline as the core sees it: numbers, times in epoch ms (market time, never the wall clock). */
export interface Candle {
  readonly openTime: number;
  readonly closeTime: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
}

/** The price part of a candle, all that the indicators read. */
export interface OhlcPrices {
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
}

/** A row of `GET /api/v3/klines`: [openTime, "o", "h", "l", "c", "v", closeTime, ...]. */
export type BinanceKlineRow = readonly [number, string, string, string, string, string, number, ...unknown[]];
