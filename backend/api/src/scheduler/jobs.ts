/** Queue and job names, payloads and per-job options: the one place they are defined (DESIGN §7). */
export const QUEUES = ['scanner', 'notifications', 'maintenance'] as const;
export type QueueName = (typeof QUEUES)[number];

export interface JobPayloads {
  'health-snapshot': { tick: string };
}

export type JobName = keyof JobPayloads;

export interface JobDefinition {
  queue: QueueName;
  attempts: number;
  /** First retry delay; doubles with each attempt. */
  backoffMs: number;
  timeoutMs: number;
}

export const JOB_DEFINITIONS: Record<JobName, JobDefinition> = {
  'health-snapshot': { queue: 'maintenance', attempts: 2, backoffMs: 5_000, timeoutMs: 30_000 },
};

/** Completed jobs are kept an hour (so a tick's job id still dedupes late producers), failed ones a week. */
export const KEEP_COMPLETED = { age: 3_600, count: 1_000 };
export const KEEP_FAILED = { age: 7 * 24 * 3_600, count: 5_000 };

export interface JobContext {
  id: string;
  name: JobName;
  /** 1 on the first run, 2 on the first retry, … */
  attempt: number;
}

export type JobHandler<N extends JobName = JobName> = (data: JobPayloads[N], context: JobContext) => Promise<void>;

/** Thrown by a handler for a failure that retrying cannot fix: the job is failed without retries. */
export class PermanentJobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentJobError';
  }
}
