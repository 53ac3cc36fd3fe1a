import { AppConfig } from '../config';
import { JobName } from './jobs';

export interface JobSchedule {
  name: JobName;
  cron: string;
}

/** The periodic jobs and when they run (DESIGN §7). Cron expressions have seconds and run in UTC. */
export function jobSchedules(config: AppConfig): JobSchedule[] {
  return [
    { name: 'scan-market', cron: config.scanCron },
    { name: 'refresh-universe', cron: '30 */15 * * * *' },
    { name: 'dispatch-notifications', cron: '*/5 * * * * *' },
    { name: 'expire-signals', cron: '45 * * * * *' },
    { name: 'purge-history', cron: '0 17 * * * *' },
    { name: 'fit-target-probability', cron: '50 */15 * * * *' },
    { name: 'reconcile', cron: '0 40 3 * * *' },
  ];
}
