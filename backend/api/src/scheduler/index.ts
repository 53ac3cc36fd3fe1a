/** Public entry of the scheduler module: the job queue other modules enqueue to and register handlers on. */
export { SchedulerModule } from './scheduler.module';
export { JobQueue, type EnqueueOptions, type QueueCounts } from './job-queue';
export {
  JOB_DEFINITIONS,
  PermanentJobError,
  QUEUES,
  type JobContext,
  type JobHandler,
  type JobName,
  type JobPayloads,
  type QueueName,
} from './jobs';
export { CronProducer } from './cron.producer';
