import { CronTime } from 'cron';

/**
 * The scheduled instant a cron callback belongs to, so every api process that fires for the same tick
 * derives the same job id (each tick runs once however many producers there are), even when a process
 * fires late by up to half a period.
 */
export function scheduledTick(expression: string, nowMs: number): Date {
  const time = new CronTime(expression, 'UTC');
  const next = time.getNextDateFrom(new Date(nowMs)).toMillis();
  const following = time.getNextDateFrom(new Date(next)).toMillis();
  const halfPeriod = Math.floor((following - next) / 2);
  return new Date(time.getNextDateFrom(new Date(nowMs - halfPeriod)).toMillis());
}
