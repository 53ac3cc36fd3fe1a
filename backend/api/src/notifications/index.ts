/** Public entry of the notifications module. */
export { NotificationsModule } from './notifications.module';
export { NotificationService, type PlannedDelivery } from './notification.service';
export { CHANNEL_NAMES, type ChannelName } from './notification-channel';
export { AlertDeliveryService } from './alert-delivery.service';
export { AlertRulesAdminService, ENV_RULE_ID } from './alert-rules-admin.service';
