import type { ClosedSignalStatus, ConditionKey, SignalDirection, SignalOrigin } from './signal';

/** Signal quality on the wire (issue #14): rates with intervals, calibration, condition ablation. */

/** A proportion with what a reader needs to judge it (signal-core's `Rate`). */
export interface RateDto {
  /** What is counted over what, e.g. `TP / (TP + SL)`. */
  definition: string;
  successes: number;
  n: number;
  /** successes / n; null when n = 0. */
  value: number | null;
  /** 95% Wilson score interval; null when n = 0. */
  low: number | null;
  high: number | null;
  /** n < 30: read as anecdote. */
  lowSample: boolean;
}

/** `origin` filter of stats, calibration and ablation: `all` (default) counts both. */
export type OriginFilter = SignalOrigin | 'all';

/** `GET /api/signals/calibration?timeframe=&direction=&since=&origin=` */
export interface CalibrationBucketDto {
  /** e.g. `70–74`; the last bucket is `95–100`. */
  label: string;
  /** Confidence at creation in [min, max), the last bucket including 100. */
  min: number;
  max: number;
  /** Closed signals created in this bucket, whatever their outcome. */
  count: number;
  /** P(TP before SL) = TP / (TP + SL) among them, with its Wilson interval. */
  pTarget: RateDto;
  meanNetR: number | null;
}

/** The current isotonic fit of P(TP before SL) on confidence at creation, for one timeframe. */
export interface TargetProbabilityFit {
  timeframe: string;
  /** Closed TP/SL signals the fit was made from. */
  samples: number;
  /** Needed before a fit is used (200). */
  minSamples: number;
  fittedAt: string | null;
  /** Step function: confidence from `min` on maps to `p`, ascending; empty while no fit. */
  steps: { min: number; p: number }[];
  /** Why there is no fit (null when there is one). */
  note: string | null;
}

export interface CalibrationReport {
  timeframe: string | null;
  direction: SignalDirection | null;
  since: string | null;
  origin: OriginFilter;
  /** Closed signals counted. */
  closed: number;
  buckets: CalibrationBucketDto[];
  /** Mean of (confidence/100 − [TP])² over TP/SL closes: 0 is perfect, 0.25 a coin's worth. */
  brierScore: number | null;
  brierN: number;
  /** Spearman rank correlation of confidence at creation with net R, over every close. */
  rankCorrelation: number | null;
  lowSample: boolean;
  /** The pTarget fits in use, one per scanned timeframe (or the one asked for). */
  fits: TargetProbabilityFit[];
}

/** Closed signals on one side of a condition at creation. */
export interface ConditionSplitDto {
  count: number;
  /** TP / all closed on this side. */
  hitRate: RateDto;
  meanNetR: number | null;
}

/** `GET /api/signals/ablation?timeframe=&direction=&since=&origin=`: the live version of the backtest's table. */
export interface ConditionAblationReport {
  timeframe: string | null;
  direction: SignalDirection | null;
  since: string | null;
  origin: OriginFilter;
  closed: number;
  conditions: { key: ConditionKey; weight: number; held: ConditionSplitDto; notHeld: ConditionSplitDto }[];
}

export type OutcomeShares = Record<ClosedSignalStatus, RateDto>;
