import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SignalEngineModule } from '../signal-engine';
import { AlertChannelSender } from './alert-channels';
import { AlertDeliveryEntity, AlertRuleEntity } from './alert-rule.entity';
import { AlertRulesController } from './alert-rules.controller';
import { AlertDeliveryService } from './alert-delivery.service';
import { AlertRulesAdminService } from './alert-rules-admin.service';
import { NotificationDeliveryEntity } from './notification-delivery.entity';
import { NotificationService } from './notification.service';
import { NotificationsProcessor } from './notifications.processor';
import { TelegramChannel } from './telegram.channel';
import { WebhookChannel } from './webhook.channel';

/**
 * Signal events to webhook and Telegram, once each per channel (notification_deliveries), and to the
 * channels of the alert rules (alert_rules, alert_deliveries; AlertDeliveryService plans and sends
 * them, AlertRulesAdminService serves the admin API /api/admin/alert-rules). The jobs
 * (`dispatch-notifications`, `notify`) are scheduled by the scheduler; their handlers live here.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([NotificationDeliveryEntity, AlertRuleEntity, AlertDeliveryEntity]),
    SignalEngineModule,
  ],
  controllers: [AlertRulesController],
  providers: [
    NotificationService,
    AlertRulesAdminService,
    AlertDeliveryService,
    AlertChannelSender,
    WebhookChannel,
    TelegramChannel,
    NotificationsProcessor,
  ],
  exports: [NotificationService, AlertRulesAdminService, AlertDeliveryService],
})
export class NotificationsModule {}
