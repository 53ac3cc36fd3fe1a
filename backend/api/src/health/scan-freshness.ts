import { CronTime } from 'cron';

export interface ScanFreshnessInput {
  /** End of the last successful (ok or partial) scan, null when none yet. */
  lastSuccessAt: Date | null;
  processStartedAt: Date;
  now: Date;
  /** Time between two scheduled scans (from SCAN_CRON). */
  periodMs: number;
  paused: boolean;
}

export interface ScanFreshness {
  up: boolean;
  details: Record<string, unknown>;
}

/** How many scan periods may pass without a successful scan before the deployment is not ready. */
export const MAX_MISSED_SCANS = 3;

/**
 * Readiness of the scanning: the last successful scan is younger than 3 scan periods. Right after a
 * start there is a grace of the same length (the first scan has to happen); an operator's pause is not
 * a failure.
 */
export function scanFreshness(input: ScanFreshnessInput): ScanFreshness {
  const limitMs = MAX_MISSED_SCANS * input.periodMs;
  const lastSuccessAt = input.lastSuccessAt?.toISOString() ?? null;
  if (input.paused) return { up: true, details: { paused: true, lastSuccessAt } };
  const since = input.lastSuccessAt ?? input.processStartedAt;
  const ageMs = input.now.getTime() - since.getTime();
  const details = {
    lastSuccessAt,
    ageSeconds: Math.round(ageMs / 1000),
    maxAgeSeconds: Math.round(limitMs / 1000),
    ...(input.lastSuccessAt === null ? { note: 'waiting for the first successful scan' } : {}),
  };
  return { up: ageMs <= limitMs, details };
}

/** The period of a cron expression (time between its next two fire times). */
export function cronPeriodMs(expression: string, from: Date): number {
  const time = new CronTime(expression, 'UTC');
  const first = time.getNextDateFrom(from).toMillis();
  return time.getNextDateFrom(new Date(first)).toMillis() - first;
}
