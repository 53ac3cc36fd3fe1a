import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import { AppConfig } from '../config';
import { ReconcileService, ReplayService, SignalRetentionService, TargetFitService } from '../signal-engine';
import { JobQueue } from './job-queue';
import { JOB_DEFINITIONS } from './jobs';

/** Maintenance queue handlers: each delegates to the service that owns the work. */
@Injectable()
export class MaintenanceProcessor implements OnModuleInit, OnApplicationBootstrap {
  private readonly logger = new Logger(MaintenanceProcessor.name);

  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    private readonly jobs: JobQueue,
    private readonly retention: SignalRetentionService,
    private readonly targetFits: TargetFitService,
    private readonly reconciliation: ReconcileService,
    private readonly replays: ReplayService,
  ) {}

  onModuleInit(): void {
    if (!this.config.runsWorkers) return;
    this.jobs.register('fit-target-probability', async () => {
      await this.targetFits.refit();
    });
    this.jobs.register('purge-history', async ({ tick }) => {
      const deleted = await this.retention.purgeClosedOlderThan(
        this.config.historyRetentionDays,
        await this.retention.marketNow(new Date(tick)),
      );
      if (deleted > 0)
        this.logger.log(
          `purged ${deleted} closed signal(s) older than ${this.config.historyRetentionDays} days`,
        );
    });
    this.jobs.register('reconcile', async ({ trigger }) => {
      await this.reconciliation.run(trigger ?? 'cron');
    });
    this.jobs.register('ab-replay', async ({ replayId }) => {
      for (const shard of await this.replays.run(replayId))
        await this.jobs.enqueue(
          'ab-replay-shard',
          { replayId, shard },
          { jobId: `ab-replay-shard:${replayId}:${shard}` },
        );
    });
    this.jobs.register('ab-replay-shard', async ({ replayId, shard }, { attempt }) => {
      await this.replays.runShard(replayId, shard, attempt >= JOB_DEFINITIONS['ab-replay-shard'].attempts);
    });
  }

  /** pTarget is refitted once at startup (then every 15 minutes), so a fresh deployment has its fits at once. */
  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.runsApi) return;
    const minute = new Date(Math.floor(Date.now() / 60_000) * 60_000).toISOString();
    try {
      await this.jobs.enqueue(
        'fit-target-probability',
        { tick: minute },
        { jobId: `fit-target-probability:startup:${minute}` },
      );
    } catch (error) {
      this.logger.error(`could not schedule the startup pTarget fit: ${(error as Error).message}`);
    }
  }
}
