// Candles
export type { BinanceKlineRow, Candle, OhlcPrices } from './candles/candle.types';
export { assertValidCandle, parseBinanceKline, parseBinanceKlines } from './candles/parse-binance-kline';
export { TIMEFRAME_MS, timeframeFromMs, timeframeToMs } from './candles/timeframe';

// Errors
export { InvalidEngineConfigError, type ConfigIssue } from './errors/invalid-engine-config.error';
export { InvalidEngineSnapshotError } from './errors/invalid-engine-snapshot.error';
export { MalformedCandleError } from './errors/malformed-candle.error';
export { UnsupportedTimeframeError } from './errors/unsupported-timeframe.error';

// Indicators
export type { StreamingIndicator } from './indicators/streaming-indicator';
export { AdxIndicator, type AdxResult, type AdxState } from './indicators/adx.indicator';
export { AtrIndicator, type AtrState } from './indicators/atr.indicator';
export { BollingerBandsIndicator, type BollingerBandsResult, type BollingerBandsState } from './indicators/bollinger-bands.indicator';
export { EmaIndicator, type EmaState } from './indicators/ema.indicator';
export { HeikinAshiIndicator, type HeikinAshiCandle, type HeikinAshiState } from './indicators/heikin-ashi.indicator';
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
export { CONDITION_KEYS, DIRECTIONS, type ConditionKey, type Direction, type SignalCondition } from './scoring/condition-key';
export { DEFAULT_ENGINE_CONFIG, type Band, type EngineConfig } from './scoring/engine-config';
export { resolveEngineConfig, validateEngineConfig, type EngineConfigOverrides } from './scoring/validate-engine-config';
export { scoreCandle, scoreDirection, type CandleScore, type DirectionScore, type ScoreInput } from './scoring/score-candle';
export { computeTradeLevels, type TradeLevels } from './scoring/trade-levels';

// Lifecycle
export {
  CLOSED_SIGNAL_STATUSES,
  type CandleGapEvent,
  type ClosedSignalStatus,
  type EngineEvent,
  type Signal,
  type SignalChangeEvent,
  type SignalStatus,
} from './lifecycle/signal.types';
export { checkPriceExit, type PriceExit } from './lifecycle/price-exit';
export { SignalEngine, type SignalEngineOptions, type SignalEngineSnapshot, type SignalEngineStats } from './lifecycle/signal-engine';

// Backtest
export { computeOutcomeStats, type OutcomeStats } from './backtest/outcome-stats';
export { runBacktest, type BacktestOptions, type BacktestReport, type BacktestResult } from './backtest/run-backtest';
