import { CronTime } from 'cron';

export interface ScanFreshnessInput {
  /** End of the last successful (ok or partial) scan, null when none yet (host time of the database). */
  lastSuccessAt: Date | null;
  processStartedAt: Date;
  /** The host's clock now: used only while no candle is stored (there is no market time to judge by). */
  now: Date;
  /** The exchange's clock now: the host's plus the measured offset (DESIGN: "now" is market time). */
  marketNow: number;
  /**
   * Close of the newest closed candle stored for the scanned series (market time: open time + interval),
   * null when none is stored yet.
   */
  newestCandleClose: number | null;
  /** The shortest scanned timeframe: a new closed candle is due at least this often. */
  intervalMs: number;
  /** Time between two scheduled scans (from SCAN_CRON). */
  periodMs: number;
  paused: boolean;
  /** A whole-exchange halt in progress (market time it began): no candle is due while it lasts. */
  haltSince: number | null;
}

export interface ScanFreshness {
  up: boolean;
  details: Record<string, unknown>;
}

/** How many scan periods may pass without a successful scan before the deployment is not ready. */
export const MAX_MISSED_SCANS = 3;

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Readiness of the scanning, judged on MARKET time (issue 15 §3): the newest closed candle the scans
 * stored must be younger, on the exchange's clock, than one candle of the shortest timeframe plus 3
 * scan periods. A host whose clock is off, or an exchange on its own time line (a replay), changes
 * nothing: both sides of the comparison are the exchange's. During a whole-exchange halt no candle is
 * due: the data is judged at the start of the halt. An operator's pause is not a failure.
 *
 * Before any candle is stored there is no market time to judge by: then the scan runs are (the last
 * successful scan younger than 3 periods, with the same grace after a start for the first one).
 */
export function scanFreshness(input: ScanFreshnessInput): ScanFreshness {
  const lastSuccessAt = input.lastSuccessAt?.toISOString() ?? null;
  if (input.paused) return { up: true, details: { paused: true, lastSuccessAt } };
  if (input.newestCandleClose === null) return byScanRuns(input, lastSuccessAt);

  const limitMs = MAX_MISSED_SCANS * input.periodMs + input.intervalMs;
  const judgedAt = input.haltSince === null ? input.marketNow : Math.min(input.marketNow, input.haltSince);
  const ageMs = judgedAt - input.newestCandleClose;
  return {
    up: ageMs <= limitMs,
    details: {
      clock: 'exchange',
      lastSuccessAt,
      newestCandleClosedAt: iso(input.newestCandleClose),
      marketNow: iso(input.marketNow),
      ageSeconds: Math.round(ageMs / 1000),
      maxAgeSeconds: Math.round(limitMs / 1000),
      ...(input.haltSince !== null
        ? { note: `exchange halted since ${iso(input.haltSince)}: judged at the start of the halt` }
        : {}),
    },
  };
}

function byScanRuns(input: ScanFreshnessInput, lastSuccessAt: string | null): ScanFreshness {
  const limitMs = MAX_MISSED_SCANS * input.periodMs;
  const since = input.lastSuccessAt ?? input.processStartedAt;
  const ageMs = input.now.getTime() - since.getTime();
  const details = {
    clock: 'host',
    lastSuccessAt,
    ageSeconds: Math.round(ageMs / 1000),
    maxAgeSeconds: Math.round(limitMs / 1000),
    note:
      input.lastSuccessAt === null
        ? 'waiting for the first successful scan'
        : 'no candle stored yet: judged by the scan runs',
  };
  return { up: ageMs <= limitMs, details };
}

/** The period of a cron expression (time between its next two fire times). */
export function cronPeriodMs(expression: string, from: Date): number {
  const time = new CronTime(expression, 'UTC');
  const first = time.getNextDateFrom(from).toMillis();
  return time.getNextDateFrom(new Date(first)).toMillis() - first;
}
