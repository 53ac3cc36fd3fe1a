import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MarketDataModule } from '../market-data';
import { ConfluenceService } from './confluence.service';
import { CreationStampService } from './creation-stamps.service';
import { EngineConfigService } from './engine-config.service';
import { EngineStateEntity } from './entities/engine-state.entity';
import { HtfTrendService } from './htf-trend.service';
import { MarketMatrixController } from './market-matrix.controller';
import { MarketMatrixService } from './market-matrix.service';
import { SignalEventEntity } from './entities/signal-event.entity';
import { SignalEntity } from './entities/signal.entity';
import { TargetFitEntity } from './entities/target-fit.entity';
import { EngineStateListener } from './events/engine-state-listener';
import { SignalEventListener } from './events/signal-event-listener';
import { SignalEventLog } from './events/signal-event-log';
import { OverdueSignalsService } from './overdue-signals.service';
import { QualityFiguresCache } from './quality-figures-cache';
import { ReconcileService } from './reconcile/reconcile.service';
import { ScanBatchService } from './scan-batch.service';
import { ScanRunEntity } from './scan-runs/scan-run.entity';
import { ScanRunRecorder } from './scan-runs/scan-run-recorder';
import { ScoringVersionsService } from './scoring-versions.service';
import { ReplayService } from './replays/replay.service';
import { ScannerPauseService } from './scanner-pause.service';
import { SignalChangeNotices } from './signal-change-notices';
import { SignalMetrics } from './signal-metrics';
import { SignalQualityService } from './signal-quality.service';
import { SignalQueryService } from './signal-query.service';
import { SignalRetentionService } from './signal-retention.service';
import { FineCandlePrefetch } from './fine-candle-prefetch';
import { SignalScannerService } from './signal-scanner.service';
import { SignalStore } from './signal-store.service';
import { SignalsController } from './signals.controller';
import { StreamEvaluationService } from './stream-evaluation.service';
import { SymbolDeparturesService } from './symbol-departures.service';
import { TargetFitService } from './target-fit.service';

const PUBLIC_PROVIDERS = [
  SignalQueryService,
  SignalStore,
  SignalScannerService,
  EngineConfigService,
  SignalRetentionService,
  ScanRunRecorder,
  ScanBatchService,
  ScannerPauseService,
  OverdueSignalsService,
  SignalEventLog,
  SignalEventListener,
  EngineStateListener,
  SymbolDeparturesService,
  TargetFitService,
  ReconcileService,
  ConfluenceService,
  MarketMatrixService,
  HtfTrendService,
  ScoringVersionsService,
  ReplayService,
];

/**
 * signal-core per symbol + timeframe: the scan (sync → engine → run record), persistence (signals,
 * signal_events outbox, engine_states, scan_runs), the pause switch, the overdue sweep, signals REST.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([
      SignalEntity,
      SignalEventEntity,
      EngineStateEntity,
      ScanRunEntity,
      TargetFitEntity,
    ]),
    MarketDataModule,
  ],
  controllers: [SignalsController, MarketMatrixController],
  providers: [
    ...PUBLIC_PROVIDERS,
    SignalMetrics,
    StreamEvaluationService,
    CreationStampService,
    SignalQualityService,
    QualityFiguresCache,
    SignalChangeNotices,
    FineCandlePrefetch,
  ],
  exports: PUBLIC_PROVIDERS,
})
export class SignalEngineModule {}
