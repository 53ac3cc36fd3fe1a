import type { SignalConfluence } from './alerts';

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

/** Conditions that count only when their weight is > 0 (then listed after the eight): `htf_trend`. */
export const OPTIONAL_CONDITION_KEYS = ['htf_trend'] as const;
export type OptionalConditionKey = (typeof OPTIONAL_CONDITION_KEYS)[number];

export interface SignalCondition {
  key: ConditionKey | OptionalConditionKey;
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

/** `live`: created from a candle that closed while the scanner ran; `replay`: re-created while warming up on stored history. */
export const SIGNAL_ORIGINS = ['live', 'replay'] as const;
export type SignalOrigin = (typeof SIGNAL_ORIGINS)[number];

/** How a candle touching both TP and SL was decided: by finer candles, or conservatively as SL. */
export type SameCandleResolution = 'fine' | 'conservative';

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
  /** Gross outcome in R (no costs); null while ACTIVE. */
  outcomeR: number | null;
  /** Outcome in R after costs (FEE_BPS per side and SLIPPAGE_BPS, as a fraction of the initial risk); null while ACTIVE. */
  netR: number | null;
  /** Set when one candle touched both levels (null otherwise). */
  resolution: SameCandleResolution | null;
  /** Confidence when the signal was created: calibration and pTarget read this one. */
  initialConfidence: number;
  origin: SignalOrigin;
  /** Calibrated P(TP before SL) for this timeframe at `initialConfidence`, from the fit current at creation; null with `pTargetNote`. */
  pTarget: number | null;
  /** Closed signals the fit behind `pTarget` was made from (0 when there was none). */
  pTargetSamples: number;
  /** Why `pTarget` is null (e.g. "120 of 200 closes on 5m so far"); null when it is set. */
  pTargetNote: string | null;
  /** Why a CANCELLED signal was closed (null otherwise; absent from events recorded before it existed). */
  closeReason?: string | null;
  /**
   * The same symbol on the other scanned timeframes when the signal was created (stored with it).
   * Null for a `replay` signal (the states it would read are later than it) and for signals created
   * before it was recorded; absent from events recorded before it existed.
   */
  confluence?: SignalConfluence | null;
  /** The scoring version (engine configuration) that created the signal (see research.ts). */
  scoringVersion: number;
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
