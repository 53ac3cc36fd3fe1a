import { Injectable, OnModuleInit } from '@nestjs/common';
import { MetricsService } from '../metrics';
import { JobQueue } from './job-queue';

/** The queue-depth gauge (jobs per queue and state), read at scrape time. */
@Injectable()
export class QueueMetrics implements OnModuleInit {
  constructor(
    private readonly metrics: MetricsService,
    private readonly jobs: JobQueue,
  ) {}

  onModuleInit(): void {
    this.metrics.addCollector(async () => {
      for (const [queue, counts] of Object.entries(await this.jobs.counts())) {
        for (const [state, value] of Object.entries(counts))
          this.metrics.queueDepth.set({ queue, state }, value);
      }
    });
  }
}
