import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import { AppConfig } from '../config';
import { scheduledTick } from './cron-tick';
import { JobQueue } from './job-queue';
import { jobSchedules } from './job-schedules';
import { JobName } from './jobs';

/**
 * Decides WHEN: on each cron tick, enqueues the tick's job under an id derived from the scheduled
 * instant, so with several api processes each tick still runs once.
 */
@Injectable()
export class CronProducer implements OnApplicationBootstrap {
  private readonly logger = new Logger(CronProducer.name);

  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    private readonly registry: SchedulerRegistry,
    private readonly jobs: JobQueue,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.runsApi) return;
    for (const schedule of jobSchedules(this.config)) {
      const job = CronJob.from({
        cronTime: schedule.cron,
        timeZone: 'UTC',
        start: true,
        onTick: () => void this.fire(schedule.name, schedule.cron),
      });
      this.registry.addCronJob(schedule.name, job);
    }
  }

  /** Enqueues one tick's job; returns false when another producer already did. */
  async fire(name: JobName, cron: string, now: number = Date.now()): Promise<boolean> {
    const tick = scheduledTick(cron, now).toISOString();
    try {
      return await this.jobs.enqueue(name, { tick }, { jobId: `${name}:${tick}` });
    } catch (error) {
      this.logger.error(`could not enqueue ${name} for tick ${tick}: ${(error as Error).message}`);
      return false;
    }
  }
}
