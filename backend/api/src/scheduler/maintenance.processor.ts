import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { HealthSnapshotService } from '../health/health-snapshot.service';
import { JobQueue } from './job-queue';

/** Maintenance queue handlers: each delegates to the service that owns the work. */
@Injectable()
export class MaintenanceProcessor implements OnModuleInit {
  private readonly logger = new Logger(MaintenanceProcessor.name);

  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    private readonly jobs: JobQueue,
    private readonly snapshots: HealthSnapshotService,
  ) {}

  onModuleInit(): void {
    if (!this.config.runsWorkers) return;
    this.jobs.register('health-snapshot', async ({ tick }, context) => {
      const snapshot = await this.snapshots.record(new Date(tick));
      this.logger.log(`health snapshot ${snapshot.healthy ? 'healthy' : 'UNHEALTHY'} (job ${context.id})`);
    });
  }
}
