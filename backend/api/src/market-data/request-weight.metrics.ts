import { Injectable, OnModuleInit } from '@nestjs/common';
import { MetricsService } from '../metrics';
import { RequestWeightBudget } from './request-weight-budget';

/** The request-weight gauges (used, limit, pause, 429/418 rejections), read at scrape time. */
@Injectable()
export class RequestWeightMetrics implements OnModuleInit {
  constructor(
    private readonly metrics: MetricsService,
    private readonly budget: RequestWeightBudget,
  ) {}

  onModuleInit(): void {
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
