import { BullAdapter } from '@bull-board/api/bullAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { BullBoardModule } from '@bull-board/nestjs';
import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig } from '../../config';
import { QUEUES } from '../jobs';
import { adminBrowserAuth } from './admin-session';

export const QUEUE_DASHBOARD_PATH = '/api/admin/queues';

/** Bull Board at /api/admin/queues behind the admin key (header or sign-in form). Bull only. */
@Module({})
export class QueueDashboardModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: QueueDashboardModule,
      imports: [
        BullBoardModule.forRoot({
          route: '/admin/queues',
          adapter: ExpressAdapter,
          middleware: adminBrowserAuth(config.adminApiKey, QUEUE_DASHBOARD_PATH),
          boardOptions: { uiConfig: { boardTitle: 'Signal scanner queues' } },
        }),
        BullBoardModule.forFeature(...QUEUES.map((name) => ({ name, adapter: BullAdapter }))),
      ],
    };
  }
}
