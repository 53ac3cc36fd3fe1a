import type { IndicatorSnapshot } from '../indicators/indicator-values.types';
import type { Direction, SignalCondition } from '../scoring/condition-key';

/**
 * CANCELLED: closed by the caller, not by the market rules (symbol delisted, halted or gone from the
 * universe for good), at the last traded price the caller gives, with a reason.
 */
export type SignalStatus = 'ACTIVE' | 'TP_HIT' | 'SL_HIT' | 'INVALIDATED' | 'EXPIRED' | 'CANCELLED';
export type ClosedSignalStatus = Exclude<SignalStatus, 'ACTIVE'>;
export const CLOSED_SIGNAL_STATUSES: readonly ClosedSignalStatus[] = [
  'TP_HIT',
  'SL_HIT',
  'INVALIDATED',
  'EXPIRED',
  'CANCELLED',
];

/**
 * How a candle that touched both the stop and the target was decided: `fine` by the first finer
 * candle that touched a level, `conservative` as SL because no finer candle told them apart.
 * Null when no candle was ambiguous.
 */
export type SameCandleResolution = 'fine' | 'conservative';

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
  /** Current confidence (moves with updates). */
  readonly confidence: number;
  /** Confidence at creation: what calibration and notifications judge. */
  readonly initialConfidence: number;
  /** Conditions met at creation, bit i = CONDITION_KEYS[i] (conditionKeysOfMask turns it into keys). */
  readonly initialConditionMask: number;
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
  /** (exit − entry) / initial risk, sign-adjusted for SHORT: the gross R (same as grossR; the wire name). */
  readonly outcomeR: number | null;
  /** R before costs: outcomeR. */
  readonly grossR: number | null;
  /** R after fees and slippage on entry and exit: grossR − (entry + exit) × (feeBps + slippageBps) / 10⁴ / initial risk. */
  readonly netR: number | null;
  /** Set when one candle touched both levels (see SameCandleResolution). */
  readonly resolution: SameCandleResolution | null;
  /** Why the caller cancelled it (CANCELLED only). */
  readonly closeReason: string | null;
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

/** A signal that has left the active set, with its outcome. */
export type ClosedSignal = Signal & {
  readonly status: ClosedSignalStatus;
  readonly closedAt: number;
  readonly exitPrice: number;
  readonly outcomeR: number;
  readonly grossR: number;
  readonly netR: number;
  readonly durationMs: number;
  readonly durationCandles: number;
};

export function isClosedSignal(signal: Signal): signal is ClosedSignal {
  return signal.status !== 'ACTIVE' && signal.netR !== null;
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
