import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { TypeOrmModule } from '@nestjs/typeorm';
import { HealthSnapshotEntity } from './health-snapshot.entity';
import { HealthSnapshotService } from './health-snapshot.service';
import { HealthController } from './health.controller';
import { ReadinessService } from './readiness.service';
import { ScanHealth } from './scan-health';

@Module({
  imports: [TerminusModule.forRoot({ errorLogStyle: 'json' }), TypeOrmModule.forFeature([HealthSnapshotEntity])],
  controllers: [HealthController],
  providers: [ReadinessService, HealthSnapshotService, ScanHealth],
  exports: [ReadinessService, HealthSnapshotService],
})
export class HealthModule {}
