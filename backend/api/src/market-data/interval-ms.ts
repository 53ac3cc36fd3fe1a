import { BinanceInterval } from '../config/app-config';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const DURATIONS: Record<BinanceInterval, number> = {
  '1s': 1_000,
  '1m': MINUTE,
  '3m': 3 * MINUTE,
  '5m': 5 * MINUTE,
  '15m': 15 * MINUTE,
  '30m': 30 * MINUTE,
  '1h': HOUR,
  '2h': 2 * HOUR,
  '4h': 4 * HOUR,
  '6h': 6 * HOUR,
  '8h': 8 * HOUR,
  '12h': 12 * HOUR,
  '1d': DAY,
  '3d': 3 * DAY,
  '1w': 7 * DAY,
  // Calendar months vary; 31 days is only used as an upper bound (continuity checks skip 1M).
  '1M': 31 * DAY,
};

/** Length of one candle of `interval` in ms. */
export function intervalMs(interval: BinanceInterval): number {
  return DURATIONS[interval];
}
