/**
 * Reconciliation (issue 14 §7): each series' stored closed candles replayed through the engine and
 * compared with the stored signals of the same period. Times are ISO-8601 UTC strings.
 */

/** What differs between a stored signal and its replay. */
export const RECONCILE_FIELDS = [
  /** A signal the replay created that is not stored, or stored and not replayed. */
  'presence',
  'entryPrice',
  'stopLoss',
  'takeProfit',
  'status',
  'outcomeR',
] as const;
export type ReconcileField = (typeof RECONCILE_FIELDS)[number];

export interface ReconcileMismatch {
  symbol: string;
  timeframe: string;
  /** The signal's deterministic id (`${symbol}-${timeframe}-${candleOpenTime}-${direction}`). */
  signalId: string;
  field: ReconcileField;
  /** The stored value (null: not stored). */
  stored: string | number | null;
  /** The replayed value (null: not replayed). */
  replayed: string | number | null;
  /** Open time of the first candle at which this signal's stored and replayed stories part. */
  candleOpenTime: string;
}

/** A series whose replay differs: its first differing candle and how many fields differ. */
export interface ReconcileSeriesMismatch {
  symbol: string;
  timeframe: string;
  /** Open time of the earliest candle at which the replay parts from the stored signals. */
  firstDifferingCandle: string;
  mismatches: number;
}

/** A series that could not be replayed as the live engine ran it, and why. */
export interface ReconcileSkippedSeries {
  symbol: string;
  timeframe: string;
  reason: string;
}

export type ReconcileRunStatus = 'running' | 'ok' | 'mismatches' | 'failed';

export interface ReconcileRun {
  id: number;
  /** `cron` (daily) or `admin` (POST /api/admin/reconcile). */
  trigger: string;
  status: ReconcileRunStatus;
  startedAt: string;
  finishedAt: string | null;
  /** Series replayed (symbol × timeframe with a stored engine). */
  series: number;
  /** Candles fed to the replays. */
  candles: number;
  /** Stored signals compared with their replay. */
  signalsCompared: number;
  /**
   * Stored signals compared on their levels only: closed on the still-open candle after the replayed
   * period, or cancelled (a departure is not a market rule: the replay applies the stored cancellation).
   */
  signalsLevelsOnly: number;
  /** Replayed signals that are not stored because retention purged them (closed before the cut-off). */
  signalsPurged: number;
  /** Fields that differ (each counted once), over every series. */
  mismatchCount: number;
  /** Series with a difference, earliest first differing candle first. */
  mismatchedSeries: ReconcileSeriesMismatch[];
  /** The first differences (at most 50), by series then candle. */
  mismatches: ReconcileMismatch[];
  skipped: ReconcileSkippedSeries[];
  /** Why the run failed (status `failed`). */
  error: string | null;
}

/** `GET /api/admin/reconcile`. */
export interface ReconcileStatus {
  /** The newest run (null before the first). */
  last: ReconcileRun | null;
}

/** `POST /api/admin/reconcile` (202). */
export interface ReconcileStarted {
  enqueued: boolean;
  /** The job's tick: the run's trigger time. */
  tick: string;
}
