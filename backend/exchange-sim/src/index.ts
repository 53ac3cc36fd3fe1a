export { startExchangeSim, BUNDLED_DATA_DIR } from './exchange-sim';
export type { ExchangeSim, ExchangeSimOptions } from './exchange-sim';
export { VirtualClock, toEpochMs } from './virtual-clock';
export type { VirtualClockOptions } from './virtual-clock';
export { FaultInjector, NO_FAULTS, SERVER_ERROR_KINDS, BAD_ROW_KINDS } from './fault-injector';
export type {
  FaultSettings,
  ServerErrorKind,
  BadRowKind,
  BadRowFault,
  GapFault,
  ScriptedFault,
} from './fault-injector';
export { RequestWeightLimiter } from './request-weight-limiter';
export type { Admission, RequestWeightLimiterOptions } from './request-weight-limiter';
export { SimStats } from './sim-stats';
export type { SimStatsSnapshot } from './sim-stats';
export { SymbolCatalog, UNIVERSE_TEST_SYMBOLS, splitSymbol } from './symbol-catalog';
export type { SymbolSpec, SymbolEntry, SymbolStatus, StaticTicker } from './symbol-catalog';
export { loadReplayData, resolveTimeOffset, defaultStartTime } from './replay-data';
export type { LoadReport, ReplayDataOptions, TimeOffsetOption } from './replay-data';
export { loadKlineFolder, listKlineFiles } from './data-loader';
export { KLINE_INTERVALS, intervalMs, isKlineInterval } from './intervals';
export type { KlineInterval } from './intervals';
export type { SyntheticSymbolsOptions } from './synthetic-symbols';
export { SeededRandom } from './prng';
export { MarketSchedule } from './market-faults';
export type {
  HoleFault,
  ExchangeHaltFault,
  SymbolStatusFault,
  MarketFaultSettings,
  SymbolState,
} from './market-faults';
export { StreamServer } from './streams/stream-server';
export type { StreamServerOptions, StreamStatsSnapshot } from './streams/stream-server';
export type { StreamConnectionInfo, DisconnectReason } from './streams/stream-connection';
export type {
  StreamFaultSettings,
  StreamStallFault,
  SkippedFinalFault,
  ConnectionDropFault,
} from './streams/stream-faults';
export { parseStreamName, klineStreamName } from './streams/stream-names';
export type { KlineStreamName } from './streams/stream-names';
export { pushPeriodMs } from './streams/kline-channel';
