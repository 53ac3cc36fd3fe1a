import { BullModule } from '@nestjs/bull';
import { DynamicModule, Module, Provider } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../config/app-config';
import { HealthModule } from '../health/health.module';
import { MarketDataModule } from '../market-data/market-data.module';
import { SignalEngineModule } from '../signal-engine/signal-engine.module';
import { AdminController } from './admin.controller';
import { BullJobQueue } from './bull-job-queue';
import { CronProducer } from './cron.producer';
import { InProcessJobQueue } from './in-process-job-queue';
import { JobQueue } from './job-queue';
import { QUEUES } from './jobs';
import { MaintenanceProcessor } from './maintenance.processor';
import { MetricsCollectors } from './metrics.collectors';
import { OverdueSignalsService } from './overdue-signals.service';
import { NotificationDeliveryEntity } from './notifications/notification-delivery.entity';
import { NotificationService } from './notifications/notification.service';
import { TelegramChannel } from './notifications/telegram.channel';
import { WebhookChannel } from './notifications/webhook.channel';
import { NotificationsProcessor } from './notifications.processor';
import { QueueDashboardModule } from './queue-dashboard/queue-dashboard.module';
import { QueueDashboardUnavailableController } from './queue-dashboard/queue-dashboard-unavailable.controller';
import { ScannerPauseService } from './scanner-pause.service';
import { ScannerProcessor } from './scanner.processor';

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
        MarketDataModule,
        SignalEngineModule,
        TypeOrmModule.forFeature([NotificationDeliveryEntity]),
        ...(bull
          ? [
              BullModule.forRoot({
                url: config.redisUrl as string,
                prefix: config.queuePrefix,
                // A dead worker's active job is moved back to waiting once its lock expires (QUEUE_LOCK_MS).
                settings: { lockDuration: config.queueLockMs, lockRenewTime: Math.floor(config.queueLockMs / 2), stalledInterval: config.queueLockMs },
              }),
              BullModule.registerQueue(...QUEUES.map((name) => ({ name }))),
              ...(config.runsApi ? [QueueDashboardModule.forRoot(config)] : []),
            ]
          : []),
      ],
      controllers: [AdminController, ...(bull ? [] : [QueueDashboardUnavailableController])],
      providers: [
        driver,
        CronProducer,
        MaintenanceProcessor,
        ScannerProcessor,
        NotificationsProcessor,
        NotificationService,
        WebhookChannel,
        TelegramChannel,
        ScannerPauseService,
        MetricsCollectors,
        OverdueSignalsService,
      ],
      exports: [JobQueue, ScannerPauseService],
    };
  }
}
