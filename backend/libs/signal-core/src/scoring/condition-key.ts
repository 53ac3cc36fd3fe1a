export type Direction = 'LONG' | 'SHORT';

export const DIRECTIONS: readonly Direction[] = ['LONG', 'SHORT'];

/** The eight scoring conditions of DESIGN §6, in display order. */
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

/**
 * Optional conditions, off unless their weight (EngineConfig.weights) is > 0; then they count and
 * appear in the breakdown after the eight. `htf_trend`: the close of the next higher scanned
 * timeframe's last closed candle is on the signal's side of its EMA200 (the caller passes that side in,
 * see CandleContext). Bit 8 of a condition mask.
 */
export const OPTIONAL_CONDITION_KEYS = ['htf_trend'] as const;
export type OptionalConditionKey = (typeof OPTIONAL_CONDITION_KEYS)[number];
export type ScoringConditionKey = ConditionKey | OptionalConditionKey;

/** Side of EMA200 of the next higher timeframe's last closed candle; null when unknown (not passed, not warm). */
export type HtfTrend = 'above' | 'below' | null;

/** One condition of a score breakdown, as carried by a signal. */
export interface SignalCondition {
  readonly key: ScoringConditionKey;
  readonly met: boolean;
  readonly weight: number;
  /** Human-readable, with the values that decided it, e.g. "RSI 56.2 in [50, 70]". */
  readonly detail: string;
}

/** The keys whose bits are set in a condition mask (bit i = CONDITION_KEYS[i]), e.g. Signal.initialConditionMask. */
export function conditionKeysOfMask(mask: number): ConditionKey[] {
  return CONDITION_KEYS.filter((_, i) => (mask & (1 << i)) !== 0);
}
