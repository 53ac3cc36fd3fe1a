import { JobQueue } from '../../src/scheduler/job-queue';
import type { SuiteApp } from './app-suite';
import { eventually } from './test-env';

/**
 * Runs the market scan of the tick `virtualNow` (ISO) through the job queue, as the cron would, and waits
 * for its scan_runs row to finish: resolves to that run's status ('ok', 'partial', 'failed', …).
 * Moving the simulator's clock to `virtualNow` first is the caller's business.
 */
export async function scanTick(app: SuiteApp, virtualNow: number): Promise<string> {
  const tick = new Date(virtualNow).toISOString();
  await app.running.app
    .get(JobQueue)
    .enqueue('scan-market', { tick, trigger: 'test' }, { jobId: `scan-market:${tick}` });
  return eventually(
    async () => {
      const rows = (await app.db.query(`SELECT status FROM scan_runs WHERE tick = $1`, [tick])) as {
        status: string;
      }[];
      return rows[0] !== undefined && rows[0].status !== 'running' && rows[0].status;
    },
    // The first scan also warms a signal engine per series on its candles (and stores that history).
    120_000,
    `scan ${tick}`,
  );
}
