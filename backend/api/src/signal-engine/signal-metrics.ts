import { Injectable, OnModuleInit } from '@nestjs/common';
import { MetricsService } from '../metrics';
import { SignalQueryService } from './signal-query.service';

/** The signals gauge (by status and direction), read at scrape time. */
@Injectable()
export class SignalMetrics implements OnModuleInit {
  constructor(
    private readonly metrics: MetricsService,
    private readonly signals: SignalQueryService,
  ) {}

  onModuleInit(): void {
    this.metrics.addCollector(async () => {
      const counts = await this.signals.countByStatusAndDirection();
      this.metrics.signals.reset();
      for (const { status, direction, count } of counts)
        this.metrics.signals.set({ status, direction }, count);
    });
  }
}
