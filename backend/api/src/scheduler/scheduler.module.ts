import { BullModule } from '@nestjs/bull';
import { DynamicModule, Module, Provider } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { AppConfig } from '../config/app-config';
import { HealthModule } from '../health/health.module';
import { BullJobQueue } from './bull-job-queue';
import { CronProducer } from './cron.producer';
import { InProcessJobQueue } from './in-process-job-queue';
import { JobQueue } from './job-queue';
import { QUEUES } from './jobs';
import { MaintenanceProcessor } from './maintenance.processor';

/** Queues, cron producers and processors. Bull on Redis when REDIS_URL is set, in-process otherwise. */
@Module({})
export class SchedulerModule {
  static forRoot(config: AppConfig): DynamicModule {
    const bull = config.redisUrl !== null;
    const driver: Provider = { provide: JobQueue, useClass: bull ? BullJobQueue : InProcessJobQueue };
    return {
      module: SchedulerModule,
      imports: [
        ScheduleModule.forRoot(),
        HealthModule,
        ...(bull
          ? [
              BullModule.forRoot({ url: config.redisUrl as string, prefix: config.queuePrefix }),
              BullModule.registerQueue(...QUEUES.map((name) => ({ name }))),
            ]
          : []),
      ],
      providers: [driver, CronProducer, MaintenanceProcessor],
      exports: [JobQueue],
    };
  }
}
