import type {
  ClosedSignalStatus,
  IndicatorKey,
  Signal,
  SignalDirection,
  SignalEventType,
  SignalOrigin,
  SignalStatus,
} from './signal';
import type { OriginFilter, OutcomeShares, RateDto } from './quality';

/** REST bodies under /api (DESIGN §8). Times are ISO-8601 UTC strings; prices are numbers. */

export const SIGNAL_SORTS = ['confidence', 'latest', 'symbol'] as const;
export type SignalSort = (typeof SIGNAL_SORTS)[number];

/** Query of `GET /api/signals`. `status` may also be `CLOSED` (any closing status). */
export interface SignalListQuery {
  status?: SignalStatus | 'CLOSED';
  direction?: SignalDirection;
  timeframe?: string;
  minConfidence?: number;
  symbol?: string;
  origin?: SignalOrigin;
  sort?: SignalSort;
  limit?: number;
  cursor?: string;
}

export interface Page<T> {
  items: T[];
  /** Opaque; pass as `cursor` for the next page. Null on the last page. */
  nextCursor: string | null;
}

/** One entry of a signal's history, as stored in the event log. */
export interface SignalHistoryEntry {
  seq: number;
  type: SignalEventType;
  recordedAt: string;
  signal: Signal;
}

/** `GET /api/signals/:id` */
export interface SignalDetail {
  signal: Signal;
  events: SignalHistoryEntry[];
  /** Max favourable / adverse excursion in R (null while unknown). */
  maxFavorableR: number | null;
  maxAdverseR: number | null;
}

/** Outcomes of closed signals, from signal-core's one implementation (computeSignalStats). */
export interface OutcomeStats {
  closed: number;
  byOutcome: Record<ClosedSignalStatus, number>;
  /** Share of each outcome among the closed signals, with intervals. */
  shares: OutcomeShares;
  /** TP_HIT / (TP_HIT + SL_HIT) ("win rate", labelled so); null when neither happened. */
  winRate: number | null;
  /** TP_HIT / all closed. */
  hitRate: number | null;
  /** The two rates with counts and 95% Wilson intervals. */
  winRateInterval: RateDto;
  hitRateInterval: RateDto;
  /** Mean gross R over all closed signals (= expectancyGross; kept for older clients). */
  averageR: number | null;
  /** Mean NET R over every closed signal, whatever its outcome (CANCELLED included): what a signal was worth after costs. */
  expectancy: number | null;
  /** The same mean before costs. */
  expectancyGross: number | null;
  /** Sum of positive net R / |sum of negative net R|; null when nothing was lost. */
  profitFactor: number | null;
  totalNetR: number;
  totalGrossR: number;
  /** Largest peak-to-trough fall of cumulative net R in closing order. */
  maxDrawdownR: number;
  /** Fewer than 30 closed signals: read every figure as anecdote. */
  lowSample: boolean;
}

/** `GET /api/signals/stats?timeframe=&direction=&since=&origin=` */
export interface SignalStats {
  since: string | null;
  origin: OriginFilter;
  active: number;
  overall: OutcomeStats;
  byTimeframe: Record<string, OutcomeStats>;
  byDirection: Record<SignalDirection, OutcomeStats>;
}

export interface SymbolFreshness {
  /** Open time of the newest stored closed candle, null before the first one. */
  lastClosedOpenTime: string | null;
  lastClosedCloseTime: string | null;
  storedCandles: number;
  /** Wall-clock seconds since that candle closed (large against a replay of old data), null when none. */
  ageSeconds: number | null;
  /**
   * No data, two or more candles behind the newest series of the same interval (market time, so a
   * replay is judged by its own clock), or the last sync of the series failed.
   */
  stale: boolean;
  /** Last sync of the series seen by the answering process (null when it has not synced it). */
  lastSyncAt: string | null;
  lastSyncError: string | null;
}

/**
 * A hole in the exchange's candles (trading suspended: Binance generates no kline then): candles opening
 * in [from, to) do not exist; `to` is the open time of the first candle after it.
 */
export interface CandleGap {
  interval: string;
  from: string;
  to: string;
  /** Candles missing. */
  missingCandles: number;
  detectedAt: string;
}

/** `GET /api/market/symbols` item: the universe with 24h stats and data freshness per timeframe. */
export interface MarketSymbol {
  symbol: string;
  baseAsset: string;
  quoteAsset: string;
  status: string;
  rank: number | null;
  lastPrice: number | null;
  priceChangePercent: number | null;
  highPrice: number | null;
  lowPrice: number | null;
  volume: number | null;
  quoteVolume: number | null;
  tickSize: number | null;
  /** When the 24h stats were taken. */
  updatedAt: string;
  /** Keyed by timeframe (SCAN_TIMEFRAMES). */
  freshness: Record<string, SymbolFreshness>;
  /** Holes in the stored candles of the scanned timeframes, newest first (at most 20). */
  gaps?: CandleGap[];
}

export interface CandleDto {
  openTime: string;
  closeTime: string;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  quoteVolume: number;
}

export const INDICATOR_SERIES_KEYS = [
  'rsi',
  'macd',
  'macdSignal',
  'macdHistogram',
  'ema9',
  'ema21',
  'ema50',
  'ema200',
  'atr',
  'adx',
  'plusDi',
  'minusDi',
  'bbUpper',
  'bbMiddle',
  'bbLower',
  'haOpen',
  'haHigh',
  'haLow',
  'haClose',
] as const;
export type IndicatorSeriesKey = (typeof INDICATOR_SERIES_KEYS)[number];
export type IndicatorSeries = Record<IndicatorSeriesKey, (number | null)[]>;

/** `GET /api/market/candles?symbol=&interval=&limit=`: closed candles, oldest first, with aligned series. */
export interface CandlesResponse {
  symbol: string;
  interval: string;
  candles: CandleDto[];
  indicators: IndicatorSeries;
}

/** Keys of the indicator snapshot carried by every signal, for clients that list them. */
export type { IndicatorKey };

/** Admin (header X-API-Key). */
export interface QueueCountsDto {
  waiting: number;
  active: number;
  completed: number;
  failed: number;
  delayed: number;
}

export interface ScanRunSummary {
  id: number;
  trigger: string;
  status: string;
  startedAt: string;
  finishedAt: string | null;
  durationMs: number | null;
  symbols: number;
  candlesFetched: number;
  signalsChanged: number;
  errors: unknown[];
}

export interface WeightStatusDto {
  usedThisMinute: number;
  limit: number;
  exchangeLimit: number;
  pausedUntil: string | null;
  rejections: { http429: number; http418: number };
}

/** `GET /api/admin/status` */
export interface AdminStatus {
  role: string;
  jobDriver: 'bull' | 'in-process';
  paused: boolean;
  pausedSince: string | null;
  queues: Record<string, QueueCountsDto>;
  lastScans: ScanRunSummary[];
  weight: WeightStatusDto | null;
  serverTime: string;
}
