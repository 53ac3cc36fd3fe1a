// Candles
export type { BinanceKline, BinanceKlineRow, Candle, OhlcPrices } from './candles/candle.types';
export {
  assertValidCandle,
  candleValueProblem,
  KLINE_FIELD_COUNT,
  parseBinanceKline,
  parseBinanceKlines,
  type KlineParseOptions,
} from './candles/parse-binance-kline';
export { TIMEFRAME_MS, timeframeFromMs, timeframeToMs } from './candles/timeframe';

// Errors
export { InvalidCancellationError } from './errors/invalid-cancellation.error';
export { InvalidEngineConfigError, type ConfigIssue } from './errors/invalid-engine-config.error';
export { InvalidEngineSnapshotError } from './errors/invalid-engine-snapshot.error';
export { InvalidStatsInputError } from './errors/invalid-stats-input.error';
export { KlineSequenceError } from './errors/kline-sequence.error';
export { MalformedCandleError, type MalformedCandleDetails } from './errors/malformed-candle.error';
export { UnsupportedTimeframeError } from './errors/unsupported-timeframe.error';

// Indicators
export type { StreamingIndicator } from './indicators/streaming-indicator';
export { AdxIndicator, type AdxResult, type AdxState } from './indicators/adx.indicator';
export { AtrIndicator, type AtrState } from './indicators/atr.indicator';
export {
  BollingerBandsIndicator,
  type BollingerBandsResult,
  type BollingerBandsState,
} from './indicators/bollinger-bands.indicator';
export { EmaIndicator, type EmaState } from './indicators/ema.indicator';
export {
  HeikinAshiIndicator,
  type HeikinAshiCandle,
  type HeikinAshiState,
} from './indicators/heikin-ashi.indicator';
export { MacdIndicator, type MacdResult, type MacdState } from './indicators/macd.indicator';
export { RsiIndicator, type RsiState } from './indicators/rsi.indicator';
export { IndicatorSet, type IndicatorSetState } from './indicators/indicator-set';
export { computeIndicatorColumns, computeIndicatorSeries } from './indicators/compute-indicator-series';
export {
  HEIKIN_ASHI_KEYS,
  INDICATOR_SERIES_KEYS,
  INDICATOR_SNAPSHOT_KEYS,
  type IndicatorSeries,
  type IndicatorSeriesKey,
  type IndicatorSnapshot,
  type ScoringValues,
} from './indicators/indicator-values.types';

// Scoring
export {
  CONDITION_KEYS,
  conditionKeysOfMask,
  DIRECTIONS,
  OPTIONAL_CONDITION_KEYS,
  type ConditionKey,
  type Direction,
  type HtfTrend,
  type OptionalConditionKey,
  type ScoringConditionKey,
  type SignalCondition,
} from './scoring/condition-key';
export { DEFAULT_ENGINE_CONFIG, type Band, type EngineConfig } from './scoring/engine-config';
export {
  resolveEngineConfig,
  validateEngineConfig,
  type EngineConfigOverrides,
} from './scoring/validate-engine-config';
export {
  scoreCandle,
  scoreDirection,
  type CandleScore,
  type DirectionScore,
  type ScoreInput,
} from './scoring/score-candle';
export { computeTradeLevels, type TradeLevels } from './scoring/trade-levels';

// Lifecycle
export {
  CLOSED_SIGNAL_STATUSES,
  isClosedSignal,
  type CandleGapEvent,
  type ClosedSignal,
  type ClosedSignalStatus,
  type EngineEvent,
  type SameCandleResolution,
  type Signal,
  type SignalChangeEvent,
  type SignalStatus,
} from './lifecycle/signal.types';
export { checkPriceExit, type PriceExit } from './lifecycle/price-exit';
export {
  decideSameCandle,
  needsFineCandles,
  touchesBoth,
  type CandleSpan,
  type FineCandleSource,
  type SameCandleDecision,
} from './lifecycle/same-candle';
export { tradeR } from './lifecycle/trade-costs';
export { SignalEngine, type CandleContext, type SignalEngineOptions } from './lifecycle/signal-engine';
export type { SignalEngineSnapshot, SignalEngineStats } from './lifecycle/engine-snapshot';

// Statistics (one implementation for the backtest, the API, the dashboard and the CLI)
export { LOW_SAMPLE, rate, wilsonInterval, Z_95, type Rate } from './stats/wilson';
export { computeSignalStats, type SignalStats, type StatsSignal } from './stats/signal-stats';
export {
  computeCalibration,
  fitTargetProbability,
  type Calibration,
  type CalibrationBucket,
  type CalibrationSignal,
} from './stats/calibration';
export {
  fitIsotonic,
  ISOTONIC_MIN_SAMPLE,
  IsotonicModel,
  type IsotonicBlock,
  type IsotonicFit,
  type IsotonicPoint,
} from './stats/isotonic';
export { averageRanks, pearson, spearman } from './stats/rank-correlation';

// Backtest
export {
  runBacktest,
  type BacktestOptions,
  type BacktestReport,
  type BacktestResult,
} from './backtest/run-backtest';
export {
  ablationRow,
  runAblation,
  splitByCondition,
  withoutCondition,
  type AblationSignal,
  type ConditionAblation,
  type ConditionSplit,
  type ConditionSplitPair,
} from './backtest/ablation';
export { fineCandleSource } from './backtest/fine-candle-source';

// Research: walk-forward, Monte Carlo, and a backtest split by series (for threads)
export { mulberry32, type Prng } from './stats/prng';
export {
  closedTradeNetR,
  MONTE_CARLO_MAX_RUNS,
  monteCarloNetR,
  type MonteCarloOptions,
  type MonteCarloReport,
  type PercentileBands,
} from './stats/monte-carlo';
export {
  candleRange,
  parseWalkForwardSpec,
  runWalkForward,
  walkForward,
  walkForwardWindows,
  type PTargetCheck,
  type WalkForwardOptions,
  type WalkForwardReport,
  type WalkForwardSignal,
  type WalkForwardSpec,
  type WalkForwardWindow,
} from './backtest/walk-forward';
export {
  packCandles,
  packSignals,
  unpackCandles,
  unpackSignals,
  type PackedCandles,
  type PackedSignals,
} from './backtest/transfer';
export {
  mergeSeriesOutcomes,
  mergeSeriesResults,
  partitionSeries,
  runSeries,
  unpackSeriesOutcome,
  type SeriesOutcome,
  type SeriesResult,
} from './backtest/series-split';
