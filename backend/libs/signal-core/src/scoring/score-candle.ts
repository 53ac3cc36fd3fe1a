import type { ScoringValues } from '../indicators/indicator-values.types';
import { CONDITION_KEYS, type Direction, type SignalCondition } from './condition-key';
import { conditionMask, describeCondition } from './condition-rules';
import type { EngineConfig } from './engine-config';

export interface DirectionScore {
  readonly direction: Direction;
  /** Sum of the weights of the conditions met, 0-100. */
  readonly confidence: number;
  readonly conditions: readonly SignalCondition[];
}

export interface CandleScore {
  readonly long: DirectionScore;
  readonly short: DirectionScore;
}

/**
 * What scoreCandle reads at the last closed candle: the indicator values (null or NaN when not
 * available yet), the close, and the candles since the last MACD cross each way (0 = the candle
 * itself crossed; null = no cross seen). An IndicatorSet can be passed directly.
 */
export type ScoreInput = { readonly [K in keyof ScoringValues]: number | null };

function toScoringValues(input: ScoreInput): ScoringValues {
  const out: Record<string, number> = {};
  for (const [key, value] of Object.entries(input)) {
    out[key] = value === null || value === undefined ? Number.NaN : value;
  }
  for (const key of ['candlesSinceBullishCross', 'candlesSinceBearishCross']) {
    if (out[key] !== out[key]) out[key] = Number.POSITIVE_INFINITY;
  }
  return out as unknown as ScoringValues;
}

export function scoreDirection(
  values: ScoringValues,
  config: EngineConfig,
  direction: Direction,
): DirectionScore {
  const mask = conditionMask(values, config, direction);
  let confidence = 0;
  const conditions = CONDITION_KEYS.map((key, i) => {
    const met = (mask & (1 << i)) !== 0;
    const weight = config.weights[key];
    if (met) confidence += weight;
    return { key, met, weight, detail: describeCondition(key, direction, values, config) };
  });
  return { direction, confidence, conditions };
}

/** LONG and SHORT confidence with the full eight-condition breakdown (DESIGN §6). */
export function scoreCandle(input: ScoreInput | ScoringValues, config: EngineConfig): CandleScore {
  const values = toScoringValues(input as ScoreInput);
  return { long: scoreDirection(values, config, 'LONG'), short: scoreDirection(values, config, 'SHORT') };
}
