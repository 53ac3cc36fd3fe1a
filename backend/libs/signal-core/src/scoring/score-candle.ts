import type { ScoringValues } from '../indicators/indicator-values.types';
import { CONDITION_KEYS, type Direction, type HtfTrend, type SignalCondition } from './condition-key';
import { conditionMask, describeCondition, HTF_TREND_BIT } from './condition-rules';
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
  htfTrend: HtfTrend = null,
): DirectionScore {
  const mask = conditionMask(values, config, direction, htfTrend);
  let confidence = 0;
  const conditions: SignalCondition[] = CONDITION_KEYS.map((key, i) => {
    const met = (mask & (1 << i)) !== 0;
    const weight = config.weights[key];
    if (met) confidence += weight;
    return { key, met, weight, detail: describeCondition(key, direction, values, config) };
  });
  const htfWeight = config.weights.htf_trend ?? 0;
  if (htfWeight > 0) {
    const met = (mask & HTF_TREND_BIT) !== 0;
    if (met) confidence += htfWeight;
    conditions.push({
      key: 'htf_trend',
      met,
      weight: htfWeight,
      detail: describeCondition('htf_trend', direction, values, config, htfTrend),
    });
  }
  return { direction, confidence, conditions };
}

/**
 * LONG and SHORT confidence with the full breakdown (DESIGN §6): the eight conditions, then `htf_trend`
 * while its weight is > 0 (`htfTrend`: the next higher timeframe's EMA200 side, null when unknown).
 */
export function scoreCandle(
  input: ScoreInput | ScoringValues,
  config: EngineConfig,
  htfTrend: HtfTrend = null,
): CandleScore {
  const values = toScoringValues(input as ScoreInput);
  return {
    long: scoreDirection(values, config, 'LONG', htfTrend),
    short: scoreDirection(values, config, 'SHORT', htfTrend),
  };
}
