/** Queue and job names, payloads and per-job options: the one place they are defined (DESIGN §7). */
export const QUEUES = ['scanner', 'notifications', 'maintenance'] as const;
export type QueueName = (typeof QUEUES)[number];

export interface JobPayloads {
  /** A market scan: plans the batches of the tick and fans them out. `trigger` defaults to "cron". */
  'scan-market': { tick: string; trigger?: string };
  /** Candles of some symbols × SCAN_TIMEFRAMES for scan run `runId` (batch `batch` of the tick). */
  'scan-batch': { tick: string; runId: number; batch: number; symbols: string[] };
  'refresh-universe': { tick: string };
  /** Turns new signal events into pending deliveries and enqueues a `notify` job for each. */
  'dispatch-notifications': { tick: string };
  /** Delivers one event to one channel; the key is `<event seq>:<channel>`. */
  notify: { idempotencyKey: string };
  /** Catches up the series of ACTIVE signals past their expiry so the engine closes them. */
  'expire-signals': { tick: string };
  /** Deletes closed signals older than HISTORY_RETENTION_DAYS. */
  'purge-history': { tick: string };
  /** Refits pTarget (P(TP before SL) on confidence at creation) per timeframe over the closed signals. */
  'fit-target-probability': { tick: string };
  /** Replays every series' stored candles through the engine and compares with the stored signals. `trigger` defaults to "cron". */
  reconcile: { tick: string; trigger?: string };
  /** Replays stored candles through two scoring versions (issue 18 §2): the `replays` row `replayId`. Splits it into shards. */
  'ab-replay': { replayId: number };
  /** One shard (a group of series) of replay `replayId`; any worker process may run it, the last one merges. */
  'ab-replay-shard': { replayId: number; shard: number };
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
  // A scan is worth little once the next one is due: few retries, short limits.
  'scan-market': { queue: 'scanner', attempts: 2, backoffMs: 2_000, timeoutMs: 60_000 },
  // A batch may wait up to a minute for the weight budget's next minute, plus its requests.
  'scan-batch': { queue: 'scanner', attempts: 2, backoffMs: 2_000, timeoutMs: 150_000 },
  'refresh-universe': { queue: 'scanner', attempts: 3, backoffMs: 10_000, timeoutMs: 120_000 },
  'dispatch-notifications': { queue: 'notifications', attempts: 3, backoffMs: 2_000, timeoutMs: 30_000 },
  // A channel that is down gets ~2 min of retries (5 s, 10 s, 20 s, 40 s, 80 s), then the delivery is given up.
  notify: { queue: 'notifications', attempts: 6, backoffMs: 5_000, timeoutMs: 30_000 },
  'expire-signals': { queue: 'scanner', attempts: 2, backoffMs: 5_000, timeoutMs: 120_000 },
  'purge-history': { queue: 'maintenance', attempts: 3, backoffMs: 30_000, timeoutMs: 300_000 },
  'fit-target-probability': { queue: 'maintenance', attempts: 2, backoffMs: 30_000, timeoutMs: 300_000 },
  // A replay of every stored candle: long, and a failed run is recorded (no retry needed).
  reconcile: { queue: 'maintenance', attempts: 1, backoffMs: 60_000, timeoutMs: 1_800_000 },
  // Only plans the shards and enqueues them (re-running it re-enqueues the same ones).
  'ab-replay': { queue: 'maintenance', attempts: 2, backoffMs: 10_000, timeoutMs: 300_000 },
  // Long; a retried shard starts its series again and replaces its own figures. The last failure fails the replay.
  'ab-replay-shard': { queue: 'maintenance', attempts: 3, backoffMs: 10_000, timeoutMs: 1_800_000 },
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

export type JobHandler<N extends JobName = JobName> = (
  data: JobPayloads[N],
  context: JobContext,
) => Promise<void>;

/** Thrown by a handler for a failure that retrying cannot fix: the job is failed without retries. */
export class PermanentJobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentJobError';
  }
}
