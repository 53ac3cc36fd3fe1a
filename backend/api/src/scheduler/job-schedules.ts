import { AppConfig } from '../config/app-config';
import { JobName } from './jobs';

export interface JobSchedule {
  name: JobName;
  cron: string;
}

/** The periodic jobs and when they run (DESIGN §7). Cron expressions have seconds and run in UTC. */
export function jobSchedules(_config: AppConfig): JobSchedule[] {
  return [{ name: 'health-snapshot', cron: '0 */10 * * * *' }];
}
