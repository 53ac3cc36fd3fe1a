import {
  BeforeApplicationShutdown,
  Injectable,
  Logger,
  OnApplicationShutdown,
  Optional,
} from '@nestjs/common';
import { MetricsService } from '../metrics';
import { EnqueueOptions, JobQueue, QueueCounts } from './job-queue';
import {
  JOB_DEFINITIONS,
  JobName,
  JobPayloads,
  KEEP_COMPLETED,
  PermanentJobError,
  QUEUES,
  QueueName,
} from './jobs';

interface PendingJob {
  id: string;
  name: JobName;
  data: unknown;
  attempt: number;
}

/**
 * Runs jobs in this process when there is no Redis: same handlers, attempts, exponential backoff and
 * time limits as on Bull, one job at a time per queue, ids deduplicated while kept.
 */
@Injectable()
export class InProcessJobQueue extends JobQueue implements BeforeApplicationShutdown, OnApplicationShutdown {
  readonly driver = 'in-process' as const;
  private readonly logger = new Logger(InProcessJobQueue.name);
  private readonly waiting = new Map<QueueName, PendingJob[]>(QUEUES.map((queue) => [queue, []]));
  private readonly running = new Set<QueueName>();
  private readonly activeNames = new Set<JobName>();
  private readonly delayedNames = new Map<JobName, number>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly seenIds = new Map<string, number>();
  private readonly stats = new Map<QueueName, QueueCounts>(
    QUEUES.map((queue) => [queue, { waiting: 0, active: 0, completed: 0, failed: 0, delayed: 0 }]),
  );
  private nextId = 1;
  private stopped = false;

  constructor(@Optional() private readonly metrics?: MetricsService) {
    super();
  }

  async enqueue<N extends JobName>(
    name: N,
    data: JobPayloads[N],
    options: EnqueueOptions = {},
  ): Promise<boolean> {
    if (this.stopped) return false;
    this.forgetOldIds();
    const id = options.jobId ?? `${this.nextId++}`;
    if (options.jobId !== undefined) {
      if (this.seenIds.has(options.jobId)) return false;
      this.seenIds.set(options.jobId, Date.now());
    }
    this.schedule({ id, name, data, attempt: 1 }, options.delayMs ?? 0);
    return true;
  }

  async counts(): Promise<Record<QueueName, QueueCounts>> {
    return Object.fromEntries(QUEUES.map((queue) => [queue, { ...this.stat(queue) }])) as Record<
      QueueName,
      QueueCounts
    >;
  }

  /** Stops taking jobs and lets the running ones finish (bounded) before the database closes. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    const deadline = Date.now() + JobQueue.SHUTDOWN_GRACE_MS;
    while (this.running.size > 0 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 50));
    if (this.running.size > 0)
      this.logger.warn(`stopping with job(s) still running on ${[...this.running].join(', ')}`);
    const waiting = [...this.waiting.values()].reduce((sum, jobs) => sum + jobs.length, 0);
    if (waiting > 0)
      this.logger.warn(
        `${waiting} queued job(s) not run: in-process jobs end with the process (the next cron tick re-creates them)`,
      );
  }

  async hasPending(name: JobName): Promise<boolean> {
    return (
      this.activeNames.has(name) ||
      this.delayedNames.get(name) !== undefined ||
      [...this.waiting.values()].some((jobs) => jobs.some((job) => job.name === name))
    );
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private schedule(job: PendingJob, delayMs: number): void {
    const queue = JOB_DEFINITIONS[job.name].queue;
    if (delayMs <= 0) {
      this.waiting.get(queue)!.push(job);
      this.stat(queue).waiting++;
      setImmediate(() => this.drain(queue));
      return;
    }
    this.stat(queue).delayed++;
    this.delayedNames.set(job.name, (this.delayedNames.get(job.name) ?? 0) + 1);
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.stat(queue).delayed--;
      const delayed = (this.delayedNames.get(job.name) ?? 1) - 1;
      if (delayed === 0) this.delayedNames.delete(job.name);
      else this.delayedNames.set(job.name, delayed);
      this.schedule(job, 0);
    }, delayMs);
    this.timers.add(timer);
  }

  private async drain(queue: QueueName): Promise<void> {
    if (this.running.has(queue) || this.stopped) return;
    const job = this.waiting.get(queue)!.shift();
    if (job === undefined) return;
    this.running.add(queue);
    const stat = this.stat(queue);
    stat.waiting--;
    stat.active++;
    this.activeNames.add(job.name);
    try {
      await this.runOnce(job);
      stat.completed++;
    } catch (error) {
      this.retryOrFail(job, error as Error);
    } finally {
      this.activeNames.delete(job.name);
      stat.active--;
      this.running.delete(queue);
      setImmediate(() => this.drain(queue));
    }
  }

  private async runOnce(job: PendingJob): Promise<void> {
    const handler = this.handlers.get(job.name);
    if (handler === undefined) throw new PermanentJobError(`no handler registered for job "${job.name}"`);
    const { timeoutMs } = JOB_DEFINITIONS[job.name];
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`job ${job.name} timed out after ${timeoutMs} ms`)),
        timeoutMs,
      );
    });
    try {
      await Promise.race([
        handler(job.data as never, { id: job.id, name: job.name, attempt: job.attempt }),
        timeout,
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  private retryOrFail(job: PendingJob, error: Error): void {
    const definition = JOB_DEFINITIONS[job.name];
    const permanent = error instanceof PermanentJobError;
    this.logger.warn(`job ${job.name} ${job.id} attempt ${job.attempt} failed: ${error.message}`);
    this.metrics?.jobFailures.inc({ job: job.name });
    if (!permanent && job.attempt < definition.attempts) {
      this.schedule({ ...job, attempt: job.attempt + 1 }, definition.backoffMs * 2 ** (job.attempt - 1));
      return;
    }
    this.stat(definition.queue).failed++;
  }

  private stat(queue: QueueName): QueueCounts {
    return this.stats.get(queue)!;
  }

  private forgetOldIds(): void {
    const cutoff = Date.now() - KEEP_COMPLETED.age * 1000;
    for (const [id, at] of this.seenIds) {
      if (at >= cutoff) break;
      this.seenIds.delete(id);
    }
  }
}
