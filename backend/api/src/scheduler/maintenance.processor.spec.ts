import { parseEnv } from '../config';
import type {
  ReconcileService,
  ReplayService,
  SignalRetentionService,
  TargetFitService,
} from '../signal-engine';
import { InProcessJobQueue } from './in-process-job-queue';
import { JOB_DEFINITIONS } from './jobs';
import { MaintenanceProcessor } from './maintenance.processor';

describe('MaintenanceProcessor: A/B replay jobs', () => {
  const original = { ...JOB_DEFINITIONS['ab-replay-shard'] };
  let queue: InProcessJobQueue;

  beforeEach(() => {
    queue = new InProcessJobQueue();
    Object.assign(JOB_DEFINITIONS['ab-replay-shard'], { backoffMs: 5 });
  });

  afterEach(() => {
    queue.onApplicationShutdown();
    Object.assign(JOB_DEFINITIONS['ab-replay-shard'], original);
  });

  const settle = (ms = 200) => new Promise((resolve) => setTimeout(resolve, ms));

  it('runs `ab-replay` as its shard jobs (in-process without Redis), retried until the last attempt', async () => {
    const calls: [number, number, boolean][] = [];
    let failures = 2;
    const replays = {
      run: async (id: number) => (id === 3 ? [0, 1] : []),
      runShard: async (id: number, shard: number, lastAttempt: boolean) => {
        calls.push([id, shard, lastAttempt]);
        if (shard === 1 && failures-- > 0) throw new Error('worker lost');
      },
    } as unknown as ReplayService;
    const processor = new MaintenanceProcessor(
      parseEnv({}),
      queue,
      {} as SignalRetentionService,
      {} as TargetFitService,
      {} as ReconcileService,
      replays,
    );
    processor.onModuleInit();
    await queue.enqueue('ab-replay', { replayId: 3 }, { jobId: 'ab-replay:3' });
    await settle();
    expect(calls).toEqual([
      [3, 0, false],
      [3, 1, false],
      [3, 1, false],
      [3, 1, true],
    ]);
    // The same shard job id is not run twice (the `ab-replay` job re-run after a crash re-enqueues them).
    await queue.enqueue('ab-replay-shard', { replayId: 3, shard: 0 }, { jobId: 'ab-replay-shard:3:0' });
    await settle(50);
    expect(calls).toHaveLength(4);
  });
});
