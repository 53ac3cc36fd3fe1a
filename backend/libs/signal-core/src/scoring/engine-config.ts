import type { ConditionKey, OptionalConditionKey } from './condition-key';

export interface Band {
  readonly min: number;
  readonly max: number;
}

/** Thresholds of the scoring rules and the signal lifecycle (DESIGN §6). */
export interface EngineConfig {
  /**
   * Weight of each condition; non-negative, summing to 100. The optional conditions
   * (OPTIONAL_CONDITION_KEYS, e.g. `htf_trend`) count only when present and > 0 (absent = 0).
   */
  readonly weights: Readonly<Record<ConditionKey, number> & Partial<Record<OptionalConditionKey, number>>>;
  /** Create a signal at confidence >= this (0-100). */
  readonly minConfidence: number;
  /** RSI zone (inclusive) for LONG and for SHORT. */
  readonly rsiLong: Band;
  readonly rsiShort: Band;
  /** ADX at or above this counts as trending. */
  readonly adxMin: number;
  /** macd_cross: the cross must be on one of the last N closed candles (1 = the last one only). */
  readonly macdCrossLookback: number;
  /** Stop-loss and take-profit distances in ATRs. */
  readonly stopLossAtr: number;
  readonly takeProfitAtr: number;
  /** Close as EXPIRED at the close of the Nth candle after the trigger candle. */
  readonly expiryCandles: number;
  /** Closed candles that must pass after a signal closes before the next one can trigger. */
  readonly cooldownCandles: number;
  /** Emit an update when confidence moved by at least this many points since the last emission. */
  readonly updateThreshold: number;
  /** INVALIDATED when confidence < invalidationRatio × minConfidence. */
  readonly invalidationRatio: number;
  /** Move the stop toward price (never away) to close ∓ stopLossAtr × ATR on each closed candle. */
  readonly trailingStop: boolean;
  /** Exchange fee per side in basis points of the traded value (Binance spot taker: 10). */
  readonly feeBps: number;
  /** Assumed slippage per side in basis points of the price. */
  readonly slippageBps: number;
}

export const DEFAULT_ENGINE_CONFIG: EngineConfig = Object.freeze({
  weights: Object.freeze({
    macd_cross: 20,
    rsi_zone: 15,
    trend_ema50: 15,
    ema_stack: 10,
    adx_trend: 15,
    heikin_ashi: 10,
    trend_ema200: 10,
    bb_position: 5,
  }),
  minConfidence: 70,
  rsiLong: Object.freeze({ min: 50, max: 70 }),
  rsiShort: Object.freeze({ min: 30, max: 50 }),
  adxMin: 20,
  macdCrossLookback: 3,
  stopLossAtr: 1.5,
  takeProfitAtr: 2.5,
  expiryCandles: 12,
  cooldownCandles: 3,
  updateThreshold: 5,
  invalidationRatio: 0.7,
  trailingStop: false,
  feeBps: 10,
  slippageBps: 0,
});
