import { timeframeToMs } from '@scanner/signal-core';
import { BinanceInterval } from '../config';

/** Length of one candle of `interval` in ms (the engine's table: scanned timeframes have a fixed length). */
export function intervalMs(interval: BinanceInterval | string): number {
  return timeframeToMs(interval);
}
