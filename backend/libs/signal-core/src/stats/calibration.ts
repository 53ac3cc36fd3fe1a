import type { Signal } from '../lifecycle/signal.types';
import { fitIsotonic, type IsotonicFit } from './isotonic';
import { spearman } from './rank-correlation';
import { LOW_SAMPLE, rate, type Rate } from './wilson';

/** What calibration reads of a signal (the engine's Signal, or a stored row mapped to these fields). */
export type CalibrationSignal = Pick<Signal, 'status' | 'initialConfidence' | 'netR'>;

export interface CalibrationBucket {
  /** e.g. `70–74`; the last bucket is `95–100`. */
  readonly label: string;
  /** Confidence at creation in [min, max), the last bucket including 100. */
  readonly min: number;
  readonly max: number;
  /** Closed signals created in this bucket, whatever their outcome. */
  readonly count: number;
  /** P(TP before SL): TP / (TP + SL) among them, with its Wilson interval. */
  readonly pTarget: Rate;
  /** Mean net R of all of them. */
  readonly meanNetR: number | null;
}

export interface Calibration {
  readonly buckets: readonly CalibrationBucket[];
  /** Closed signals counted (the ACTIVE ones are not). */
  readonly closed: number;
  /** Mean of (confidence/100 − [TP])² over TP/SL closes: 0 is perfect, 0.25 is a coin's worth. */
  readonly brierScore: number | null;
  /** TP/SL closes the Brier score is over. */
  readonly brierN: number;
  /** Spearman rank correlation of confidence at creation with net R, over every close. */
  readonly rankCorrelation: number | null;
  readonly lowSample: boolean;
}

const WIDTH = 5;
/** The table always shows these rows (the default threshold is 70), plus any lower ones that occur. */
const STANDARD_FROM = 70;

function bucketMin(confidence: number): number {
  return Math.min(95, Math.floor(confidence / WIDTH) * WIDTH);
}

/** Reliability table and overall scores of confidence at creation against outcomes. */
export function computeCalibration(signals: readonly CalibrationSignal[]): Calibration {
  const closed = signals.filter((s) => s.status !== 'ACTIVE' && s.netR !== null);
  const groups = new Map<number, { count: number; tp: number; sl: number; sumNetR: number }>();
  for (let from = STANDARD_FROM; from <= 95; from += WIDTH)
    groups.set(from, { count: 0, tp: 0, sl: 0, sumNetR: 0 });
  let brierSum = 0;
  let brierN = 0;
  for (const s of closed) {
    const key = bucketMin(s.initialConfidence);
    const g = groups.get(key) ?? { count: 0, tp: 0, sl: 0, sumNetR: 0 };
    groups.set(key, g);
    g.count++;
    g.sumNetR += s.netR!;
    if (s.status === 'TP_HIT' || s.status === 'SL_HIT') {
      const hit = s.status === 'TP_HIT' ? 1 : 0;
      g.tp += hit;
      g.sl += 1 - hit;
      brierSum += (s.initialConfidence / 100 - hit) ** 2;
      brierN++;
    }
  }
  const buckets = [...groups.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([min, g]) => ({
      label: min === 95 ? '95–100' : `${min}–${min + WIDTH - 1}`,
      min,
      max: min === 95 ? 100 : min + WIDTH,
      count: g.count,
      pTarget: rate('TP / (TP + SL)', g.tp, g.tp + g.sl),
      meanNetR: g.count === 0 ? null : g.sumNetR / g.count,
    }));
  return {
    buckets,
    closed: closed.length,
    brierScore: brierN === 0 ? null : brierSum / brierN,
    brierN,
    rankCorrelation: spearman(
      closed.map((s) => s.initialConfidence),
      closed.map((s) => s.netR!),
    ),
    lowSample: closed.length < LOW_SAMPLE,
  };
}

/**
 * pTarget's model: an isotonic fit of [TP before SL] on confidence at creation over the TP/SL
 * closes (null with the reason below `minSample`, default 200).
 */
export function fitTargetProbability(
  signals: readonly CalibrationSignal[],
  options: { minSample?: number } = {},
): IsotonicFit {
  const points = signals
    .filter((s) => s.status === 'TP_HIT' || s.status === 'SL_HIT')
    .map((s) => ({ x: s.initialConfidence, y: s.status === 'TP_HIT' ? 1 : 0 }));
  return fitIsotonic(points, options);
}
