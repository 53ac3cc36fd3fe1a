import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { EngineStateEntity } from './entities/engine-state.entity';
import { SignalEventEntity } from './entities/signal-event.entity';
import { SignalEntity } from './entities/signal.entity';
import { EngineConfigService } from './engine-config.service';
import { SignalQueryService } from './signal-query.service';
import { SignalRetentionService } from './signal-retention.service';
import { SignalScannerService } from './signal-scanner.service';
import { SignalStore } from './signal-store.service';
import { SignalsController } from './signals.controller';

/** signal-core per symbol + timeframe: live scanning, persistence (signals + outbox), signals REST. */
@Module({
  imports: [TypeOrmModule.forFeature([SignalEntity, SignalEventEntity, EngineStateEntity])],
  controllers: [SignalsController],
  providers: [SignalQueryService, SignalStore, SignalScannerService, EngineConfigService, SignalRetentionService],
  exports: [SignalQueryService, SignalStore, SignalScannerService, EngineConfigService, SignalRetentionService],
})
export class SignalEngineModule {}
