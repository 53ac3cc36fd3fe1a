import type { SignalOrigin } from '@scanner/contracts';
import { timeframeToMs } from '@scanner/signal-core';

/** Slack beyond two candles: a scan runs a little after a close, and a loaded machine a little later. */
const SLACK_MS = 60_000;

/**
 * Where a signal came from, judged in market time when it is created: `live` when the engine step
 * that created it ran while its triggering candle was the series' latest news — within two candles
 * (+ 1 minute) of that candle's close — i.e. the scanner was following the series as the candle closed;
 * `replay` when the candle was already closed history when the step ran (warm-up on stored candles,
 * a backfill after downtime or for a series newly followed).
 *
 * Judged on the step's market time rather than on a process's memory, so every worker (poll batches
 * go to any of them) and every restart judges a candle the same way; it is the same window as
 * notifications' freshness (a live creation is exactly one that could be notified).
 */
export function creationOrigin(
  signal: { timeframe: string; createdAt: number },
  stepMarketTime: number | undefined,
): SignalOrigin {
  if (stepMarketTime === undefined) return 'replay';
  return stepMarketTime - signal.createdAt <= 2 * timeframeToMs(signal.timeframe) + SLACK_MS
    ? 'live'
    : 'replay';
}
