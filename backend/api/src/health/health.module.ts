import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { SignalEngineModule } from '../signal-engine';
import { AdminController } from './admin/admin.controller';
import { ReplaysController } from './admin/replays.controller';
import { ScoringVersionsController } from './admin/scoring-versions.controller';
import { HealthController } from './health.controller';
import { ReadinessService } from './readiness.service';
import { ScanHealth } from './scan-health';

/** Liveness, readiness and the operators' admin endpoints (DESIGN §8). */
@Module({
  imports: [TerminusModule.forRoot({ errorLogStyle: 'json' }), SignalEngineModule],
  controllers: [HealthController, AdminController, ScoringVersionsController, ReplaysController],
  providers: [ReadinessService, ScanHealth],
  exports: [ReadinessService],
})
export class HealthModule {}
