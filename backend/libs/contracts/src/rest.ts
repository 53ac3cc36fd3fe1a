import type { ClosedSignalStatus, IndicatorKey, Signal, SignalDirection, SignalEventType, SignalStatus } from './signal';

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

export interface OutcomeStats {
  closed: number;
  byOutcome: Record<ClosedSignalStatus, number>;
  /** TP_HIT / (TP_HIT + SL_HIT); null when neither happened. */
  winRate: number | null;
  averageR: number | null;
  /** Mean R over closed signals: winRate × avg win − lossRate × avg loss, in R. */
  expectancy: number | null;
  profitFactor: number | null;
}

/** `GET /api/signals/stats?timeframe=&direction=&since=` */
export interface SignalStats {
  since: string | null;
  active: number;
  overall: OutcomeStats;
  byTimeframe: Record<string, OutcomeStats>;
  byDirection: Record<SignalDirection, OutcomeStats>;
}

export interface SymbolFreshness {
  /** Open time of the newest stored closed candle, null before the first one. */
  lastClosedOpenTime: string | null;
  /** Seconds since that candle closed (market time vs the exchange clock), null when unknown. */
  ageSeconds: number | null;
  stale: boolean;
}

/** `GET /api/market/symbols` item: the universe with 24h stats and data freshness per timeframe. */
export interface MarketSymbol {
  symbol: string;
  baseAsset: string;
  rank: number | null;
  lastPrice: number | null;
  priceChangePercent: number | null;
  highPrice: number | null;
  lowPrice: number | null;
  volume: number | null;
  quoteVolume: number | null;
  tickSize: number | null;
  freshness: Record<string, SymbolFreshness>;
}

export interface CandleDto {
  openTime: string;
  closeTime: string;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

export const INDICATOR_SERIES_KEYS = [
  'rsi', 'macd', 'macdSignal', 'macdHistogram', 'ema9', 'ema21', 'ema50', 'ema200', 'atr', 'adx', 'plusDi', 'minusDi',
  'bbUpper', 'bbMiddle', 'bbLower', 'haOpen', 'haHigh', 'haLow', 'haClose',
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
