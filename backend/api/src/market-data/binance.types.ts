/** Typed, parsed answers of the Binance endpoints the scanner uses (decimal strings already numbers). */
export interface ExchangeSymbolInfo {
  symbol: string;
  status: string;
  baseAsset: string;
  quoteAsset: string;
  /** PRICE_FILTER tickSize; null when the symbol has no price filter. */
  tickSize: number | null;
}

export interface ExchangeInfo {
  serverTime: number;
  /** REQUEST_WEIGHT per minute as the exchange announces it (null when absent). */
  requestWeightPerMinute: number | null;
  symbols: ExchangeSymbolInfo[];
}

export interface Ticker24hr {
  symbol: string;
  lastPrice: number;
  priceChangePercent: number;
  highPrice: number;
  lowPrice: number;
  volume: number;
  quoteVolume: number;
}

export interface KlinesQuery {
  /** 1..1000; the weight is 2 whatever the limit. */
  limit?: number;
  startTime?: number;
  endTime?: number;
}
