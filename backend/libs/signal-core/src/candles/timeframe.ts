import { UnsupportedTimeframeError } from '../errors/unsupported-timeframe.error';

const MINUTE = 60_000;

/** Binance kline intervals with a fixed length (1M is calendar-based and not supported). */
export const TIMEFRAME_MS: Readonly<Record<string, number>> = {
  '1m': MINUTE,
  '3m': 3 * MINUTE,
  '5m': 5 * MINUTE,
  '15m': 15 * MINUTE,
  '30m': 30 * MINUTE,
  '1h': 60 * MINUTE,
  '2h': 120 * MINUTE,
  '4h': 240 * MINUTE,
  '6h': 360 * MINUTE,
  '8h': 480 * MINUTE,
  '12h': 720 * MINUTE,
  '1d': 1440 * MINUTE,
  '3d': 3 * 1440 * MINUTE,
  '1w': 7 * 1440 * MINUTE,
};

export function timeframeToMs(timeframe: string): number {
  const ms = TIMEFRAME_MS[timeframe];
  if (ms === undefined) throw new UnsupportedTimeframeError(timeframe);
  return ms;
}

/** The timeframe whose interval is `intervalMs`, e.g. 300000 -> "5m". */
export function timeframeFromMs(intervalMs: number): string {
  for (const [name, ms] of Object.entries(TIMEFRAME_MS)) {
    if (ms === intervalMs) return name;
  }
  throw new UnsupportedTimeframeError(`${intervalMs} ms`);
}
