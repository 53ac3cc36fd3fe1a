import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SignalEngineModule } from '../signal-engine';
import { NotificationDeliveryEntity } from './notification-delivery.entity';
import { NotificationService } from './notification.service';
import { NotificationsProcessor } from './notifications.processor';
import { TelegramChannel } from './telegram.channel';
import { WebhookChannel } from './webhook.channel';

/**
 * Signal events to webhook and Telegram, once each per channel (notification_deliveries). The jobs
 * (`dispatch-notifications`, `notify`) are scheduled by the scheduler; their handlers live here.
 */
@Module({
  imports: [TypeOrmModule.forFeature([NotificationDeliveryEntity]), SignalEngineModule],
  providers: [NotificationService, WebhookChannel, TelegramChannel, NotificationsProcessor],
  exports: [NotificationService],
})
export class NotificationsModule {}
