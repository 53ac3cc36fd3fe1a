import { BullModule } from '@nestjs/bull';
import { DynamicModule, Module, Provider } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { AppConfig } from '../config';
import { SignalEngineModule } from '../signal-engine';
import { BullJobQueue } from './bull-job-queue';
import { CronProducer } from './cron.producer';
import { InProcessJobQueue } from './in-process-job-queue';
import { JobQueue } from './job-queue';
import { QUEUES } from './jobs';
import { MaintenanceProcessor } from './maintenance.processor';
import { QueueDashboardModule } from './queue-dashboard/queue-dashboard.module';
import { QueueDashboardUnavailableController } from './queue-dashboard/queue-dashboard-unavailable.controller';
import { QueueMetrics } from './queue-metrics';
import { ScannerProcessor } from './scanner.processor';

/**
 * Decides WHEN: queues (Bull on Redis when REDIS_URL is set, in-process otherwise), cron producers and
 * the scanner/maintenance processors that call into the owners of the work. Global so that other
 * modules (notifications, admin) register handlers on and enqueue to the one JobQueue.
 */
@Module({})
export class SchedulerModule {
  static forRoot(config: AppConfig): DynamicModule {
    const bull = config.redisUrl !== null;
    const driver: Provider = { provide: JobQueue, useClass: bull ? BullJobQueue : InProcessJobQueue };
    return {
      module: SchedulerModule,
      global: true,
      imports: [
        ScheduleModule.forRoot(),
        SignalEngineModule,
        ...(bull
          ? [
              BullModule.forRoot({
                url: config.redisUrl as string,
                prefix: config.queuePrefix,
                // A dead worker's active job is moved back to waiting once its lock expires (QUEUE_LOCK_MS).
                settings: {
                  lockDuration: config.queueLockMs,
                  lockRenewTime: Math.floor(config.queueLockMs / 2),
                  stalledInterval: config.queueLockMs,
                },
              }),
              BullModule.registerQueue(...QUEUES.map((name) => ({ name }))),
              ...(config.runsApi ? [QueueDashboardModule.forRoot(config)] : []),
            ]
          : []),
      ],
      controllers: bull ? [] : [QueueDashboardUnavailableController],
      providers: [driver, CronProducer, MaintenanceProcessor, ScannerProcessor, QueueMetrics],
      exports: [JobQueue],
    };
  }
}
