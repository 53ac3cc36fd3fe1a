import { InjectQueue } from '@nestjs/bull';
import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import type { Job, Queue } from 'bull';
import { AppConfig } from '../config';
import { MetricsService } from '../metrics';
import { EnqueueOptions, JobQueue, QueueCounts } from './job-queue';
import {
  JOB_DEFINITIONS,
  JobName,
  JobPayloads,
  KEEP_COMPLETED,
  KEEP_FAILED,
  PermanentJobError,
  QueueName,
} from './jobs';

/** Jobs on Redis through Bull: shared by every api and worker process of a deployment. */
@Injectable()
export class BullJobQueue
  extends JobQueue
  implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown
{
  readonly driver = 'bull' as const;
  private readonly logger = new Logger(BullJobQueue.name);
  private readonly queues: Record<QueueName, Queue>;

  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    @InjectQueue('scanner') scanner: Queue,
    @InjectQueue('notifications') notifications: Queue,
    @InjectQueue('maintenance') maintenance: Queue,
    private readonly metrics: MetricsService,
  ) {
    super();
    this.queues = { scanner, notifications, maintenance };
  }

  async enqueue<N extends JobName>(
    name: N,
    data: JobPayloads[N],
    options: EnqueueOptions = {},
  ): Promise<boolean> {
    const definition = JOB_DEFINITIONS[name];
    const queue = this.queues[definition.queue];
    if (options.jobId !== undefined && !(await this.claim(queue, options.jobId))) return false;
    await queue.add(name, data, {
      jobId: options.jobId,
      delay: options.delayMs,
      attempts: definition.attempts,
      backoff: { type: 'exponential', delay: definition.backoffMs },
      timeout: definition.timeoutMs,
      removeOnComplete: KEEP_COMPLETED,
      removeOnFail: KEEP_FAILED,
    });
    return true;
  }

  async hasPending(name: JobName): Promise<boolean> {
    const queue = this.queues[JOB_DEFINITIONS[name].queue];
    const jobs = await queue.getJobs(['active', 'waiting', 'delayed']);
    return jobs.some((job) => job !== null && job.name === name);
  }

  /** Atomically claims a job id across every producer process (Bull's own check-then-add is not atomic). */
  private async claim(queue: Queue, jobId: string): Promise<boolean> {
    const key = `${this.config.queuePrefix}:claimed-job:${queue.name}:${jobId}`;
    return (await queue.client.set(key, '1', 'EX', KEEP_COMPLETED.age, 'NX')) === 'OK';
  }

  async counts(): Promise<Record<QueueName, QueueCounts>> {
    const entries = await Promise.all(
      Object.entries(this.queues).map(async ([name, queue]) => {
        const counts = await queue.getJobCounts();
        return [name, { ...counts }] as const;
      }),
    );
    return Object.fromEntries(entries) as Record<QueueName, QueueCounts>;
  }

  onApplicationBootstrap(): void {
    if (!this.config.runsWorkers) return;
    for (const [name, handler] of this.handlers) {
      const queue = this.queues[JOB_DEFINITIONS[name].queue];
      void queue.process(name, 1, async (job: Job) => {
        const context = { id: String(job.id), name, attempt: job.attemptsMade + 1 };
        try {
          await handler(job.data, context);
        } catch (error) {
          if (error instanceof PermanentJobError) await job.discard();
          this.metrics.jobFailures.inc({ job: name });
          this.logger.warn(
            `job ${name} ${context.id} attempt ${context.attempt} failed: ${(error as Error).message}`,
          );
          throw error;
        }
      });
    }
  }

  /**
   * Stops taking jobs (locally: other workers go on) and waits for the running ones, bounded; a job
   * still running after the grace is released when the process exits and re-run as stalled elsewhere.
   */
  async beforeApplicationShutdown(): Promise<void> {
    if (!this.config.runsWorkers) return;
    const stopping = Promise.all(
      Object.values(this.queues).map((queue) => queue.pause(true).catch(() => undefined)),
    );
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), JobQueue.SHUTDOWN_GRACE_MS);
    });
    const outcome = await Promise.race([stopping, grace]);
    clearTimeout(timer);
    if (outcome === 'timeout')
      this.logger.warn('stopping with jobs still running: Bull will re-run them as stalled');
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(Object.values(this.queues).map((queue) => queue.close().catch(() => undefined)));
  }
}
