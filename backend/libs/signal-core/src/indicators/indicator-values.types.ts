/**
 * The fields of IndicatorSnapshot, in order: the one list of them. The type is made of it, so a field
 * added here is one every snapshot must have (each place that builds or unpacks one fails to compile
 * until it does) and one backtest/transfer.ts packs.
 */
export const INDICATOR_SNAPSHOT_KEYS = [
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

export type IndicatorSnapshotKey = (typeof INDICATOR_SNAPSHOT_KEYS)[number];

/** The indicator values a signal carries (DESIGN §8 `indicators`), null during warm-up. */
export type IndicatorSnapshot = { [K in IndicatorSnapshotKey]: number | null };

export const HEIKIN_ASHI_KEYS = ['haOpen', 'haHigh', 'haLow', 'haClose'] as const;

export type IndicatorSeriesKey = IndicatorSnapshotKey | (typeof HEIKIN_ASHI_KEYS)[number];

export const INDICATOR_SERIES_KEYS: readonly IndicatorSeriesKey[] = [
  ...INDICATOR_SNAPSHOT_KEYS,
  ...HEIKIN_ASHI_KEYS,
];

/** Batch output: one array per series, aligned with the input candles, null during warm-up. */
export type IndicatorSeries = Record<IndicatorSeriesKey, (number | null)[]>;

/**
 * Everything the scoring rules read at one closed candle. Numbers are NaN when unavailable
 * (warm-up), so every comparison against them is false and the condition is simply not met.
 * `candlesSince*Cross` is 0 when the candle itself crossed, Infinity when no cross is known.
 */
export interface ScoringValues {
  readonly close: number;
  readonly rsi: number;
  readonly macd: number;
  readonly macdSignal: number;
  readonly macdHistogram: number;
  readonly ema9: number;
  readonly ema21: number;
  readonly ema50: number;
  readonly ema200: number;
  readonly atr: number;
  readonly adx: number;
  readonly plusDi: number;
  readonly minusDi: number;
  readonly bbUpper: number;
  readonly bbMiddle: number;
  readonly bbLower: number;
  readonly haOpen: number;
  readonly haClose: number;
  readonly candlesSinceBullishCross: number;
  readonly candlesSinceBearishCross: number;
}
