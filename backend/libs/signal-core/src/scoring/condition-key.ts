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

/** One condition of a score breakdown, as carried by a signal. */
export interface SignalCondition {
  readonly key: ConditionKey;
  readonly met: boolean;
  readonly weight: number;
  /** Human-readable, with the values that decided it, e.g. "RSI 56.2 in [50, 70]". */
  readonly detail: string;
}

/** The keys whose bits are set in a condition mask (bit i = CONDITION_KEYS[i]), e.g. Signal.initialConditionMask. */
export function conditionKeysOfMask(mask: number): ConditionKey[] {
  return CONDITION_KEYS.filter((_, i) => (mask & (1 << i)) !== 0);
}
