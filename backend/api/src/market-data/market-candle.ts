import type { Candle } from '@scanner/signal-core';
import { BinanceInterval } from '../config';
import type { CandleGap } from './candle-gap-store';

/**
 * A kline as the scanner stores and hands it on (the engine's Candle plus the quote volume): times in
 * epoch ms, prices and volumes as numbers.
 */
export interface MarketCandle extends Candle {
  quoteVolume: number;
}

/** The engine's Candle of a stored one (without the quote volume). */
export function toCoreCandle(c: MarketCandle): Candle {
  return {
    openTime: c.openTime,
    closeTime: c.closeTime,
    open: c.open,
    high: c.high,
    low: c.low,
    close: c.close,
    volume: c.volume,
  };
}

/**
 * What one scan learned about one symbol + timeframe: the closed candles that are new since the last
 * scan (already stored, oldest first) and the still-open candle (never stored; live price, TP/SL checks).
 * `error` names what went wrong; then `newClosed` is empty and nothing from the response was stored.
 */
export interface SeriesSyncResult {
  symbol: string;
  interval: BinanceInterval;
  newClosed: MarketCandle[];
  openCandle: MarketCandle | null;
  /** Exchange time when the open candle was seen as it is (stamps TP/SL hits on it). */
  observedAt?: number;
  /** Holes in the exchange's candles this sync met and stored (the engine sees the jump in open times). */
  gaps?: CandleGap[];
  /** The exchange answered -1121: it does not know the symbol (delisted, or halted on its own). */
  unknownSymbol?: boolean;
  error?: string;
}
