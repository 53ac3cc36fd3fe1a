/** Public entry of the signal-engine module (owner of signals, signal_events, engine_states, scan_runs). */
export { SignalEngineModule } from './signal-engine.module';
export { EngineConfigService } from './engine-config.service';
export { SignalEventListener } from './events/signal-event-listener';
export { SignalEventLog, type RecordedSignalEvent, type ResyncWindow } from './events/signal-event-log';
export { OverdueSignalsService, type ExpirySweep } from './overdue-signals.service';
export {
  ScanBatchService,
  SCAN_ABANDONED_AFTER_MS,
  type BatchScanResult,
  type PlannedScan,
} from './scan-batch.service';
export { ScanRunRecorder, type ScanActivity, type SuccessfulScan } from './scan-runs/scan-run-recorder';
export { type ScanRunError, type ScanRunStatus } from './scan-runs/scan-run.entity';
export { ScannerPauseService, type PauseSetting } from './scanner-pause.service';
export { SignalQueryService, type SignalStatsFilter } from './signal-query.service';
export { SignalRetentionService } from './signal-retention.service';
export {
  SignalScannerService,
  WARMUP_CANDLES,
  type SeriesUpdate,
  type SymbolScanResult,
} from './signal-scanner.service';
export {
  SignalStore,
  type CommittedChanges,
  type EngineCommit,
  type LoadedEngineState,
} from './signal-store.service';
export { SymbolDeparturesService, type DepartureOutcome } from './symbol-departures.service';
