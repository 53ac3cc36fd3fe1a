import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import { AppConfig } from '../config';
import { JOB_DEFINITIONS, JobQueue } from '../scheduler';
import { NotificationService } from './notification.service';

/** Notifications queue: plan deliveries from the event log, then deliver each one as its own job. */
@Injectable()
export class NotificationsProcessor implements OnModuleInit, OnApplicationBootstrap {
  private readonly logger = new Logger(NotificationsProcessor.name);

  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    private readonly jobs: JobQueue,
    private readonly notifications: NotificationService,
  ) {}

  onModuleInit(): void {
    if (!this.config.runsWorkers) return;
    this.jobs.register('dispatch-notifications', async () => {
      const pending = await this.notifications.plan();
      for (const { idempotencyKey } of pending) {
        await this.jobs.enqueue('notify', { idempotencyKey }, { jobId: `notify:${idempotencyKey}` });
      }
    });
    this.jobs.register('notify', async ({ idempotencyKey }, context) => {
      const lastAttempt = context.attempt >= JOB_DEFINITIONS.notify.attempts;
      const outcome = await this.notifications.deliver(idempotencyKey, lastAttempt);
      this.logger.debug(`notification ${idempotencyKey}: ${outcome} (attempt ${context.attempt})`);
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.runsWorkers) return;
    // Start notifying from now on: the first boot must not replay the whole history.
    await this.notifications.startCursor();
  }
}
