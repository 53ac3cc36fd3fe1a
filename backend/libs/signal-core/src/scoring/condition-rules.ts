import type { ScoringValues } from '../indicators/indicator-values.types';
import { CONDITION_KEYS, type Direction, type HtfTrend, type ScoringConditionKey } from './condition-key';
import type { EngineConfig } from './engine-config';

/**
 * The rules of DESIGN §6 as one allocation-free predicate per condition; bit i of the mask is
 * CONDITION_KEYS[i], bit 8 the optional `htf_trend` (only while its weight is > 0). Unavailable values
 * are NaN, so their comparisons fail: not met.
 */
export function conditionMask(
  v: ScoringValues,
  config: EngineConfig,
  direction: Direction,
  htfTrend: HtfTrend = null,
): number {
  const long = direction === 'LONG';
  const close = v.close;
  let mask = 0;
  if (
    long
      ? v.candlesSinceBullishCross < config.macdCrossLookback && v.macdHistogram > 0
      : v.candlesSinceBearishCross < config.macdCrossLookback && v.macdHistogram < 0
  )
    mask |= 1;
  const band = long ? config.rsiLong : config.rsiShort;
  if (v.rsi >= band.min && v.rsi <= band.max) mask |= 2;
  if (long ? close > v.ema50 : close < v.ema50) mask |= 4;
  if (long ? v.ema9 > v.ema21 : v.ema9 < v.ema21) mask |= 8;
  if (v.adx >= config.adxMin && (long ? v.plusDi > v.minusDi : v.minusDi > v.plusDi)) mask |= 16;
  if (long ? v.haClose > v.haOpen : v.haClose < v.haOpen) mask |= 32;
  if (long ? close > v.ema200 : close < v.ema200) mask |= 64;
  if (long ? v.bbMiddle < close && close < v.bbUpper : v.bbLower < close && close < v.bbMiddle) mask |= 128;
  if (htfTrend !== null && (config.weights.htf_trend ?? 0) > 0 && htfTrend === (long ? 'above' : 'below'))
    mask |= HTF_TREND_BIT;
  return mask;
}

/** Bit of `htf_trend` in a condition mask. */
export const HTF_TREND_BIT = 1 << CONDITION_KEYS.length;

/** Weights in CONDITION_KEYS order, then `htf_trend` (0 when off), for confidenceFromMask. */
export function weightVector(config: EngineConfig): Float64Array {
  return Float64Array.from([...CONDITION_KEYS.map((k) => config.weights[k]), config.weights.htf_trend ?? 0]);
}

export function confidenceFromMask(mask: number, weights: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < weights.length; i++) if (mask & (1 << i)) sum += weights[i];
  return sum;
}

/** Formats a value for a detail string: 6 significant digits, "n/a" during warm-up. */
export function fmt(value: number): string {
  if (value !== value) return 'n/a';
  return String(Number(value.toPrecision(6)));
}

function cross(since: number, lookback: number, side: 'above' | 'below'): string {
  if (since === Number.POSITIVE_INFINITY) return `no MACD cross ${side} signal yet`;
  const when =
    since === 0 ? 'on the last closed candle' : `${since} candle${since === 1 ? '' : 's'} before the last`;
  const within = since < lookback ? `within the last ${lookback}` : `not within the last ${lookback}`;
  return `MACD crossed ${side} signal ${when} (${within})`;
}

/** Human-readable reason for one condition, with the values that decided it. */
export function describeCondition(
  key: ScoringConditionKey,
  direction: Direction,
  v: ScoringValues,
  config: EngineConfig,
  htfTrend: HtfTrend = null,
): string {
  const long = direction === 'LONG';
  const close = fmt(v.close);
  switch (key) {
    case 'macd_cross': {
      const since = long ? v.candlesSinceBullishCross : v.candlesSinceBearishCross;
      return `${cross(since, config.macdCrossLookback, long ? 'above' : 'below')}; histogram ${fmt(v.macdHistogram)} ${long ? '> 0' : '< 0'} required`;
    }
    case 'rsi_zone': {
      const band = long ? config.rsiLong : config.rsiShort;
      const inside = v.rsi >= band.min && v.rsi <= band.max;
      return `RSI ${fmt(v.rsi)} ${inside ? 'in' : 'not in'} [${band.min}, ${band.max}]`;
    }
    case 'trend_ema50':
      return `close ${close} ${long ? '>' : '<'} EMA50 ${fmt(v.ema50)} required`;
    case 'ema_stack':
      return `EMA9 ${fmt(v.ema9)} ${long ? '>' : '<'} EMA21 ${fmt(v.ema21)} required`;
    case 'adx_trend':
      return `ADX ${fmt(v.adx)} >= ${config.adxMin} and ${long ? '+DI' : '-DI'} ${fmt(long ? v.plusDi : v.minusDi)} > ${long ? '-DI' : '+DI'} ${fmt(long ? v.minusDi : v.plusDi)} required`;
    case 'heikin_ashi':
      return `Heikin Ashi close ${fmt(v.haClose)} ${long ? '>' : '<'} open ${fmt(v.haOpen)} required (${long ? 'bullish' : 'bearish'})`;
    case 'trend_ema200':
      return `close ${close} ${long ? '>' : '<'} EMA200 ${fmt(v.ema200)} required`;
    case 'bb_position':
      return long
        ? `middle band ${fmt(v.bbMiddle)} < close ${close} < upper band ${fmt(v.bbUpper)} required`
        : `lower band ${fmt(v.bbLower)} < close ${close} < middle band ${fmt(v.bbMiddle)} required`;
    case 'htf_trend':
      return `higher timeframe close ${htfTrend === null ? 'vs EMA200 unknown' : `${htfTrend} its EMA200`}; ${long ? 'above' : 'below'} required`;
  }
}
