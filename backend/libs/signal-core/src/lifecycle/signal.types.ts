import type { IndicatorSnapshot } from '../indicators/indicator-values.types';
import type { Direction, SignalCondition } from '../scoring/condition-key';

export type SignalStatus = 'ACTIVE' | 'TP_HIT' | 'SL_HIT' | 'INVALIDATED' | 'EXPIRED';
export type ClosedSignalStatus = Exclude<SignalStatus, 'ACTIVE'>;
export const CLOSED_SIGNAL_STATUSES: readonly ClosedSignalStatus[] = ['TP_HIT', 'SL_HIT', 'INVALIDATED', 'EXPIRED'];

/**
 * A signal with everything the wire signal (DESIGN §8) needs, times as epoch ms of market time.
 * Immutable: every change produces a new object with `version` + 1.
 */
export interface Signal {
  /** `${symbol}-${timeframe}-${candleOpenTime}-${direction}`: deterministic, same in backtest and live. */
  readonly id: string;
  readonly symbol: string;
  readonly timeframe: string;
  readonly direction: Direction;
  readonly status: SignalStatus;
  readonly confidence: number;
  readonly entryPrice: number;
  /** Current stop (moves only with the trailing stop). */
  readonly stopLoss: number;
  readonly initialStopLoss: number;
  readonly takeProfit: number;
  readonly riskReward: number;
  readonly conditions: readonly SignalCondition[];
  readonly indicators: IndicatorSnapshot;
  /** Open time of the triggering candle. */
  readonly candleOpenTime: number;
  /** Close time of the triggering candle. */
  readonly createdAt: number;
  /** Time of the candle or open-candle tick behind the latest change. */
  readonly updatedAt: number;
  readonly closedAt: number | null;
  readonly exitPrice: number | null;
  /** (exit − entry) / initial risk, sign-adjusted for SHORT. */
  readonly outcomeR: number | null;
  /** Max favourable / adverse excursion since entry, in price (≥ 0) and in R. */
  readonly mfe: number;
  readonly mae: number;
  readonly mfeR: number;
  readonly maeR: number;
  readonly durationMs: number | null;
  /** Candles from the trigger candle to the candle that closed the signal. */
  readonly durationCandles: number | null;
  readonly version: number;
}

export interface SignalChangeEvent {
  readonly type: 'created' | 'updated' | 'closed';
  readonly signal: Signal;
}

/** Candles were missing before `receivedOpenTime`; indicators were reset (warm-up starts again). */
export interface CandleGapEvent {
  readonly type: 'gap';
  readonly symbol: string;
  readonly timeframe: string;
  readonly expectedOpenTime: number;
  readonly receivedOpenTime: number;
  readonly missingCandles: number;
}

export type EngineEvent = SignalChangeEvent | CandleGapEvent;
