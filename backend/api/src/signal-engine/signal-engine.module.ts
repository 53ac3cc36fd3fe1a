import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MarketDataModule } from '../market-data';
import { EngineConfigService } from './engine-config.service';
import { EngineStateEntity } from './entities/engine-state.entity';
import { SignalEventEntity } from './entities/signal-event.entity';
import { SignalEntity } from './entities/signal.entity';
import { SignalEventListener } from './events/signal-event-listener';
import { SignalEventLog } from './events/signal-event-log';
import { OverdueSignalsService } from './overdue-signals.service';
import { ScanBatchService } from './scan-batch.service';
import { ScanRunEntity } from './scan-runs/scan-run.entity';
import { ScanRunRecorder } from './scan-runs/scan-run-recorder';
import { ScannerPauseService } from './scanner-pause.service';
import { SignalMetrics } from './signal-metrics';
import { SignalQueryService } from './signal-query.service';
import { SignalRetentionService } from './signal-retention.service';
import { SignalScannerService } from './signal-scanner.service';
import { SignalStore } from './signal-store.service';
import { SignalsController } from './signals.controller';
import { StreamEvaluationService } from './stream-evaluation.service';
import { SymbolDeparturesService } from './symbol-departures.service';

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
  SymbolDeparturesService,
];

/**
 * signal-core per symbol + timeframe: the scan (sync → engine → run record), persistence (signals,
 * signal_events outbox, engine_states, scan_runs), the pause switch, the overdue sweep, signals REST.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([SignalEntity, SignalEventEntity, EngineStateEntity, ScanRunEntity]),
    MarketDataModule,
  ],
  controllers: [SignalsController],
  providers: [...PUBLIC_PROVIDERS, SignalMetrics, StreamEvaluationService],
  exports: PUBLIC_PROVIDERS,
})
export class SignalEngineModule {}
