/** Public entry of the market-data module (owner of candles and market_symbols). */
export { MarketDataModule } from './market-data.module';
export { BinanceClient } from './binance-client';
export { CandleStore, type CandleSeriesBatch, type StoredSeriesInfo } from './candle-store';
export { CandleGapStore, type CandleGap, type StoredCandleGap } from './candle-gap-store';
export { ExchangeClock, type ClockOffset } from './exchange-clock';
export { ExchangeHaltMonitor, type ExchangeHalt } from './exchange-halt';
export { CandleSyncService } from './candle-sync.service';
export { ExchangeHealth } from './exchange-health';
export { FineCandleService, type FineCandleSpan } from './fine-candles';
export { intervalMs } from './interval-ms';
export { mapWithConcurrency } from './map-with-concurrency';
export { toCoreCandle, type MarketCandle, type SeriesSyncResult } from './market-candle';
export {
  BinanceRequestError,
  ExchangePausedError,
  ExchangeUnavailableError,
  InvalidIntervalError,
  MarketDataError,
  UnknownSymbolError,
} from './market-data.errors';
export { RequestWeightBudget } from './request-weight-budget';
export { UniverseService, type SymbolDeparture } from './universe.service';
export {
  MarketStreamService,
  STREAM_LEASE_TTL_MS,
  type MarketStreamListener,
  type StreamedCandles,
  type StreamedTick,
} from './stream/market-stream.service';
export { STATUS_STALE_MS, type StreamStatus } from './stream/stream-coordinator';
