/** Kline intervals as Binance names them (case-sensitive: `1m` is a minute, `1M` a month). */
export const KLINE_INTERVALS = [
  '1s',
  '1m',
  '3m',
  '5m',
  '15m',
  '30m',
  '1h',
  '2h',
  '4h',
  '6h',
  '8h',
  '12h',
  '1d',
  '3d',
  '1w',
  '1M',
] as const;

export type KlineInterval = (typeof KLINE_INTERVALS)[number];

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Fixed length of each interval in ms. `1M` has no fixed length; 31 days is only an upper bound. */
const INTERVAL_MS: Record<KlineInterval, number> = {
  '1s': SECOND,
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
  '1M': 31 * DAY,
};

export const ONE_DAY_MS = DAY;
export const ONE_MINUTE_MS = MINUTE;

export function isKlineInterval(value: string): value is KlineInterval {
  return (KLINE_INTERVALS as readonly string[]).includes(value);
}

export function intervalMs(interval: KlineInterval): number {
  return INTERVAL_MS[interval];
}

/** Largest shift that keeps every interval of `intervals` aligned (weeks open on Monday; months cannot be kept). */
export function alignmentMs(intervals: readonly KlineInterval[]): number {
  let largest = MINUTE;
  for (const interval of intervals) {
    if (interval === '1M') continue;
    largest = Math.max(largest, INTERVAL_MS[interval]);
  }
  return largest;
}
