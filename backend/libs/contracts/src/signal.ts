/** Wire shape of a signal (DESIGN §8). Times are ISO-8601 UTC strings taken from market data. */
export const SIGNAL_DIRECTIONS = ['LONG', 'SHORT'] as const;
export type SignalDirection = (typeof SIGNAL_DIRECTIONS)[number];

/**
 * CANCELLED: closed outside the market rules (symbol delisted, halted, or gone from the universe for
 * good), at the last traded price, with `closeReason`; counted in statistics as its own outcome.
 */
export const SIGNAL_STATUSES = ['ACTIVE', 'TP_HIT', 'SL_HIT', 'INVALIDATED', 'EXPIRED', 'CANCELLED'] as const;
export type SignalStatus = (typeof SIGNAL_STATUSES)[number];
export type ClosedSignalStatus = Exclude<SignalStatus, 'ACTIVE'>;

export const CONDITION_KEYS = [
  'macd_cross',
  'rsi_zone',
  'trend_ema50',
  'ema_stack',
  'adx_trend',
  'heikin_ashi',
  'trend_ema200',
  'bb_position',
] as const;
export type ConditionKey = (typeof CONDITION_KEYS)[number];

export interface SignalCondition {
  key: ConditionKey;
  met: boolean;
  weight: number;
  detail: string;
}

export const INDICATOR_KEYS = [
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
] as const;
export type IndicatorKey = (typeof INDICATOR_KEYS)[number];
export type IndicatorSnapshot = Record<IndicatorKey, number | null>;

export interface Signal {
  id: string;
  symbol: string;
  timeframe: string;
  direction: SignalDirection;
  status: SignalStatus;
  confidence: number;
  entryPrice: number;
  stopLoss: number;
  takeProfit: number;
  riskReward: number;
  conditions: SignalCondition[];
  indicators: IndicatorSnapshot;
  candleOpenTime: string;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  exitPrice: number | null;
  outcomeR: number | null;
  /** Why a CANCELLED signal was closed (null otherwise; absent from events recorded before it existed). */
  closeReason?: string | null;
  version: number;
}

export const SIGNAL_EVENT_TYPES = ['created', 'updated', 'deleted'] as const;
export type SignalEventType = (typeof SIGNAL_EVENT_TYPES)[number];

/** One row of the durable event log, as sent to clients and listed under a signal. */
export interface SignalEvent {
  seq: number;
  type: SignalEventType;
  signal: Signal;
}
