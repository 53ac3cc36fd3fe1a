import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { MetricsService } from '../health/metrics.service';
import { RequestWeightBudget } from '../market-data/request-weight-budget';
import { JobQueue } from './job-queue';

/** Gauges read at scrape time: queue depth per state, signals by status and direction, request weight. */
@Injectable()
export class MetricsCollectors implements OnModuleInit {
  constructor(
    private readonly metrics: MetricsService,
    private readonly jobs: JobQueue,
    private readonly budget: RequestWeightBudget,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  onModuleInit(): void {
    this.metrics.addCollector(async () => {
      for (const [queue, counts] of Object.entries(await this.jobs.counts())) {
        for (const [state, value] of Object.entries(counts)) this.metrics.queueDepth.set({ queue, state }, value);
      }
    });
    this.metrics.addCollector(async () => {
      const rows: Array<{ status: string; direction: string; count: string }> = await this.dataSource.query(
        `SELECT status, direction, count(*) AS count FROM signals GROUP BY status, direction`,
      );
      this.metrics.signals.reset();
      for (const row of rows) this.metrics.signals.set({ status: row.status, direction: row.direction }, Number(row.count));
    });
    this.metrics.addCollector(async () => {
      const status = await this.budget.status();
      this.metrics.weightUsed.set(status.usedThisMinute);
      this.metrics.weightLimit.set(status.exchangeLimit);
      this.metrics.exchangePaused.set(status.pausedUntil !== null ? 1 : 0);
      this.metrics.exchangeRejections.set({ status: '429' }, status.rejections.http429);
      this.metrics.exchangeRejections.set({ status: '418' }, status.rejections.http418);
    });
  }
}
