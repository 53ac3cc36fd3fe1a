import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { AppConfig } from '../config';
import { SignalRetentionService } from '../signal-engine';
import { JobQueue } from './job-queue';

/** Maintenance queue handlers: each delegates to the service that owns the work. */
@Injectable()
export class MaintenanceProcessor implements OnModuleInit {
  private readonly logger = new Logger(MaintenanceProcessor.name);

  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    private readonly jobs: JobQueue,
    private readonly retention: SignalRetentionService,
  ) {}

  onModuleInit(): void {
    if (!this.config.runsWorkers) return;
    this.jobs.register('purge-history', async ({ tick }) => {
      const deleted = await this.retention.purgeClosedOlderThan(
        this.config.historyRetentionDays,
        new Date(tick),
      );
      if (deleted > 0)
        this.logger.log(
          `purged ${deleted} closed signal(s) older than ${this.config.historyRetentionDays} days`,
        );
    });
  }
}
