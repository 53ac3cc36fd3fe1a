import type { CalibrationBucketDto } from './quality';
import type { OutcomeStats } from './rest';

/**
 * Research workbench (issue 18). Scoring versions: the engine configuration as numbered versions,
 * exactly one active; every signal records the version that created it (`Signal.scoringVersion`).
 * Times are ISO-8601 UTC strings.
 */

/** The engine configuration of a version as stored (signal-core's EngineConfig). */
export interface ScoringConfig {
  /** Weight of each scoring condition (the eight sum to 100 with the optional ones). */
  weights: Record<string, number>;
  minConfidence: number;
  rsiLong: { min: number; max: number };
  rsiShort: { min: number; max: number };
  adxMin: number;
  macdCrossLookback: number;
  stopLossAtr: number;
  takeProfitAtr: number;
  expiryCandles: number;
  cooldownCandles: number;
  updateThreshold: number;
  invalidationRatio: number;
  trailingStop: boolean;
  /** Costs: always the deployment's FEE_BPS / SLIPPAGE_BPS when the version was made. */
  feeBps: number;
  slippageBps: number;
}

/** `GET /api/admin/scoring-versions` item and `GET /api/admin/scoring-versions/:id`. */
export interface ScoringVersion {
  /** 1, 2, … in order of creation. */
  id: number;
  config: ScoringConfig;
  note: string;
  /** Exactly one version is active: the engine scores with it. */
  active: boolean;
  createdAt: string;
  /** When it was last made the active one (null: never). */
  activatedAt: string | null;
}

/**
 * `POST /api/admin/scoring-versions` body: `config` overrides the defaults like `PUT /api/admin/config`
 * (validated, 400 naming each bad field); `activate` (default false) makes it the active one at once.
 */
export interface CreateScoringVersionRequest {
  config: Partial<Omit<ScoringConfig, 'weights' | 'rsiLong' | 'rsiShort'>> & {
    weights?: Record<string, number>;
    rsiLong?: Partial<ScoringConfig['rsiLong']>;
    rsiShort?: Partial<ScoringConfig['rsiShort']>;
  };
  note?: string;
  activate?: boolean;
}

/** One setting that differs between two versions (a dotted path, e.g. `weights.rsi_zone`). */
export interface ScoringConfigChange {
  path: string;
  from: number | boolean | string | null;
  to: number | boolean | string | null;
}

/** `GET /api/admin/scoring-versions/:id`: the version and what it changes against the active one. */
export interface ScoringVersionDetail extends ScoringVersion {
  /** Settings that differ from the active version's (`from`: active, `to`: this one); empty for the active one. */
  changesFromActive: ScoringConfigChange[];
}

/**
 * The `scoringVersion` scope of `GET /api/signals/stats` and `/calibration` (query `scoringVersion=`:
 * only signals created by that version; null: every version).
 */
export interface ScoringVersionScope {
  scoringVersion: number | null;
}

/** `GET /api/signals/stats` also groups the closed signals by the version that created them. */
export interface StatsByScoringVersion {
  byScoringVersion: Record<string, OutcomeStats>;
}

/**
 * A/B replay (issue 18 §2): stored candles of some symbols × timeframes over a period replayed through
 * two scoring versions (the engine's own code, signal-core runBacktest), both result sets stored.
 */
export const REPLAY_STATUSES = ['queued', 'running', 'done', 'failed', 'cancelled'] as const;
export type ReplayStatus = (typeof REPLAY_STATUSES)[number];

/** `POST /api/admin/replays` body. */
export interface ReplayRequest {
  /** e.g. ["BTCUSDT", "ETHUSDT"] (1 to 200). */
  symbols: string[];
  /** e.g. ["5m", "1h"]. */
  timeframes: string[];
  /** Candles opening in [from, to] (ISO-8601 UTC). */
  from: string;
  to: string;
  /** The two scoring versions (ids); `a` is usually the active one. */
  versionA: number;
  versionB: number;
  /** Optional walk-forward of each side: rolling windows over [from, to], out-of-sample figures only. */
  walkForward?: ReplayWalkForwardSpec | null;
  /** Optional Monte Carlo bands of each side's trades (out-of-sample ones when walkForward is given). */
  monteCarlo?: ReplayMonteCarloSpec | null;
}

/** Window lengths in hours of market time (signal-core's WalkForwardSpec in ms). */
export interface ReplayWalkForwardSpec {
  inSampleHours: number;
  outOfSampleHours: number;
  /** Embargo between in-sample and out-of-sample (default 0). */
  gapHours?: number;
  /** How far each window moves on (default: outOfSampleHours; never less). */
  stepHours?: number;
}

/** Bootstrap of the closed trades' net R: `runs` resampled sequences (1 to 100,000), seeded. */
export interface ReplayMonteCarloSpec {
  runs: number;
  /** Integer seed of the PRNG (mulberry32): the same seed gives the same bands. */
  seed: number;
}

export const REPLAY_MONTE_CARLO_MAX_RUNS = 100_000;

/** signal-core's calibration of one side (the shape of CalibrationReport without its filters and fits). */
export interface ReplayCalibration {
  closed: number;
  buckets: CalibrationBucketDto[];
  brierScore: number | null;
  brierN: number;
  rankCorrelation: number | null;
  lowSample: boolean;
}

/** One side's walk-forward: out-of-sample figures only (the in-sample part is used for nothing reported). */
export interface ReplayWalkForward {
  spec: ReplayWalkForwardSpec;
  windows: {
    index: number;
    /** The out-of-sample window [from, to) (ISO-8601 UTC). */
    from: string;
    to: string;
    closed: number;
    /** Mean net R of its closes (null: none). */
    expectancy: number | null;
    totalNetR: number;
  }[];
  /** Every window's out-of-sample signals together. */
  outOfSample: OutcomeStats;
  calibration: ReplayCalibration;
}

/** Percentiles over the resampled sequences (nearest rank). */
export interface ReplayBands {
  p5: number;
  p50: number;
  p95: number;
}

export interface ReplayMonteCarlo {
  runs: number;
  seed: number;
  /** Which trades were resampled: the walk-forward's out-of-sample ones, or all the replay's. */
  trades: 'out-of-sample' | 'all';
  observedTrades: number;
  finalR: ReplayBands;
  maxDrawdownR: ReplayBands;
  /** Share of sequences ending below 0 R. */
  lossProbability: number;
}

export interface ReplayProgress {
  id: number;
  status: ReplayStatus;
  /** Series (symbol × timeframe) replayed through both versions so far, of `seriesTotal`. */
  seriesDone: number;
  seriesTotal: number;
  /** Candles read so far. */
  candles: number;
}

/** One version's side of a finished replay. */
export interface ReplaySide {
  scoringVersion: number;
  /** Signals created. */
  signals: number;
  /** Net expectancy with intervals, outcome shares, profit factor, max drawdown (R), over the closes. */
  stats: OutcomeStats;
  /** Cumulative net R after each close, in closing order (at most 2,000 points, evenly thinned). */
  equityR: number[];
  /**
   * The stored signals this version created in the replayed series and period, compared with the replay
   * (same id, entry, stop, target, status); null when it created none there. `reproduced` is true when
   * every one of them is replayed the same (a replay starts with cold indicators: a period that begins
   * where the scanner's history began compares exactly).
   */
  live: { stored: number; matching: number; reproduced: boolean } | null;
  /** Reliability of confidence at creation over this side's closes. */
  calibration: ReplayCalibration;
  /** Null when the request asked for none. */
  walkForward: ReplayWalkForward | null;
  /** Null when the request asked for none, or there was no closed trade to resample (`monteCarloNote` says). */
  monteCarlo: ReplayMonteCarlo | null;
  monteCarloNote: string | null;
}

/** A signal one version created and the other did not, or that ended differently. */
export interface ReplayDifference {
  id: string;
  symbol: string;
  timeframe: string;
  direction: string;
  candleOpenTime: string;
  /** The signal's final status and net R in each version (null: that version did not create it). */
  a: { status: string; netR: number | null } | null;
  b: { status: string; netR: number | null } | null;
}

export interface ReplayResult {
  a: ReplaySide;
  b: ReplaySide;
  /** The first 500 differing signals in id order; `differingTotal` counts them all. */
  differing: ReplayDifference[];
  differingTotal: number;
}

/** `GET /api/admin/replays/:id` (and list items, without `result`). */
export interface Replay {
  id: number;
  status: ReplayStatus;
  request: ReplayRequest;
  progress: ReplayProgress;
  result: ReplayResult | null;
  error: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

/** `DELETE /api/admin/replays/:id`: a queued or running replay is cancelled, a finished one deleted. */
export interface ReplayDeleted {
  id: number;
  cancelled: boolean;
  deleted: boolean;
}
