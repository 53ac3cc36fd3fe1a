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

/** A parsed Binance kline: the candle plus what the market data keeps beside it. */
export interface BinanceKline extends Candle {
  /** Traded value in the quote asset (USDT): liquidity ranking of the universe. */
  readonly quoteVolume: number;
}

/** The price part of a candle, all that the indicators read. */
export interface OhlcPrices {
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
}

/** A row of `GET /api/v3/klines`: [openTime, "o", "h", "l", "c", "v", closeTime, "quoteVolume", trades, "takerBase", "takerQuote", "0"]. */
export type BinanceKlineRow = readonly [
  number,
  string,
  string,
  string,
  string,
  string,
  number,
  string,
  number,
  string,
  string,
  string,
];
