import { JobHandler, JobName, JobPayloads, QueueName } from './jobs';

export interface EnqueueOptions {
  /** Jobs with the same id are run once: a second enqueue is ignored while the first is kept. */
  jobId?: string;
  delayMs?: number;
}

export interface QueueCounts {
  waiting: number;
  active: number;
  completed: number;
  failed: number;
  delayed: number;
}

/**
 * Where jobs are sent and where processors register their work. Two drivers: Bull on Redis, and
 * in-process when there is no Redis. Processors only see `JobHandler`s and never know which runs them.
 */
export abstract class JobQueue {
  abstract readonly driver: 'bull' | 'in-process';

  /** Returns false when a job with the same id already exists (deduplicated). */
  abstract enqueue<N extends JobName>(
    name: N,
    data: JobPayloads[N],
    options?: EnqueueOptions,
  ): Promise<boolean>;

  abstract counts(): Promise<Record<QueueName, QueueCounts>>;

  /** Whether jobs of this name are waiting, delayed or running (in any process, for Bull). */
  abstract hasPending(name: JobName): Promise<boolean>;

  protected readonly handlers = new Map<JobName, JobHandler>();

  /** How long a stopping process waits for its running jobs before it lets them go (Bull re-runs them). */
  static readonly SHUTDOWN_GRACE_MS = 8_000;

  /** Called by processors (in processes that run workers) before the application starts. */
  register<N extends JobName>(name: N, handler: JobHandler<N>): void {
    if (this.handlers.has(name)) throw new Error(`A handler for job "${name}" is already registered`);
    this.handlers.set(name, handler as unknown as JobHandler);
  }
}
