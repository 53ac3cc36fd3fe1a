/** Public entry of the signal-engine module (owner of signals, signal_events, engine_states, scan_runs, target_fits, scoring_versions, ab_replays). */
export { SignalEngineModule } from './signal-engine.module';
export { EngineConfigService, type ConfigInForce } from './engine-config.service';
export { diffConfigs, ScoringVersionNotFoundError, ScoringVersionsService } from './scoring-versions.service';
export { ReplayNotFoundError, ReplayService } from './replays/replay.service';
export {
  agreesWith,
  computeConfluence,
  ConfluenceService,
  type ConfluenceSubject,
} from './confluence.service';
export {
  cellKey,
  emptyCell,
  layout,
  MarketMatrixService,
  matrixCell,
  sameCell,
  type MatrixRevision,
  type MatrixStateRow,
} from './market-matrix.service';
export { HtfTrendService, htfTrendAt, nextHigherTimeframe } from './htf-trend.service';
export { SignalEventListener } from './events/signal-event-listener';
export { EngineStateListener } from './events/engine-state-listener';
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
export { TargetFitService } from './target-fit.service';
export { ReconcileService } from './reconcile/reconcile.service';
