import type {
  CalibrationBucketDto,
  CalibrationReport,
  ClosedSignalStatus,
  ConditionAblationReport,
  OutcomeStats,
  RateDto,
  SignalStats,
} from '@scanner/contracts';
import { CONDITION_KEYS } from '@scanner/contracts';

/** A rate as the API sends it, with the 95% Wilson interval computed here from the counts. */
export function makeRate(successes: number, n: number, definition = 'x / y'): RateDto {
  if (n === 0) return { definition, successes, n, value: null, low: null, high: null, lowSample: true };
  const z = 1.959964;
  const p = successes / n;
  const denominator = 1 + (z * z) / n;
  const centre = (p + (z * z) / (2 * n)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / denominator;
  return { definition, successes, n, value: p, low: centre - half, high: centre + half, lowSample: n < 30 };
}

/** Outcome stats from counts of each outcome and the net/gross R sums. */
export function makeOutcomeStats(
  counts: Partial<Record<ClosedSignalStatus, number>>,
  r: { net: number; gross: number } = { net: 0, gross: 0 },
): OutcomeStats {
  const byOutcome = { TP_HIT: 0, SL_HIT: 0, INVALIDATED: 0, EXPIRED: 0, CANCELLED: 0, ...counts };
  const closed = Object.values(byOutcome).reduce((a, b) => a + b, 0);
  const shares = Object.fromEntries(
    Object.entries(byOutcome).map(([status, count]) => [
      status,
      makeRate(count, closed, `${status} / all closed`),
    ]),
  ) as OutcomeStats['shares'];
  const decided = byOutcome.TP_HIT + byOutcome.SL_HIT;
  return {
    closed,
    byOutcome,
    shares,
    winRate: decided === 0 ? null : byOutcome.TP_HIT / decided,
    hitRate: closed === 0 ? null : byOutcome.TP_HIT / closed,
    winRateInterval: makeRate(byOutcome.TP_HIT, decided, 'TP / (TP + SL)'),
    hitRateInterval: makeRate(byOutcome.TP_HIT, closed, 'TP / all closed'),
    averageR: closed === 0 ? null : r.gross / closed,
    expectancy: closed === 0 ? null : r.net / closed,
    expectancyGross: closed === 0 ? null : r.gross / closed,
    profitFactor: null,
    totalNetR: r.net,
    totalGrossR: r.gross,
    maxDrawdownR: 0,
    lowSample: closed < 30,
  };
}

export function makeStats(overall: OutcomeStats, origin: SignalStats['origin'] = 'live'): SignalStats {
  return {
    since: null,
    origin,
    active: 0,
    overall,
    byTimeframe: { '5m': overall },
    byDirection: { LONG: overall, SHORT: makeOutcomeStats({}) },
  };
}

export function makeBucket(
  min: number,
  tp: number,
  sl: number,
  others = 0,
  meanNetR: number | null = 0,
): CalibrationBucketDto {
  return {
    label: min === 95 ? '95–100' : `${min}–${min + 4}`,
    min,
    max: min === 95 ? 100 : min + 5,
    count: tp + sl + others,
    pTarget: makeRate(tp, tp + sl, 'TP / (TP + SL)'),
    meanNetR,
  };
}

export function makeCalibration(buckets: CalibrationBucketDto[]): CalibrationReport {
  const closed = buckets.reduce((a, b) => a + b.count, 0);
  return {
    timeframe: null,
    direction: null,
    since: null,
    origin: 'live',
    closed,
    buckets,
    brierScore: 0.262,
    brierN: buckets.reduce((a, b) => a + b.pTarget.n, 0),
    rankCorrelation: -0.04,
    lowSample: closed < 30,
    fits: [
      {
        timeframe: '5m',
        samples: 120,
        minSamples: 200,
        fittedAt: null,
        steps: [],
        note: '120 of 200 closes on 5m so far',
      },
    ],
  };
}

export function makeAblation(closed: number): ConditionAblationReport {
  return {
    timeframe: null,
    direction: null,
    since: null,
    origin: 'live',
    closed,
    conditions: CONDITION_KEYS.map((key, i) => ({
      key,
      weight: 10 + i,
      held: { count: 40, hitRate: makeRate(12, 40, 'TP / all closed'), meanNetR: 0.05 },
      notHeld: { count: 20, hitRate: makeRate(4, 20, 'TP / all closed'), meanNetR: -0.2 },
    })),
  };
}
