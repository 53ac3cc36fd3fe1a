import { InProcessJobQueue } from './in-process-job-queue';
import { JOB_DEFINITIONS, PermanentJobError } from './jobs';

describe('InProcessJobQueue', () => {
  let queue: InProcessJobQueue;
  const original = { ...JOB_DEFINITIONS['purge-history'] };

  beforeEach(() => {
    queue = new InProcessJobQueue();
    Object.assign(JOB_DEFINITIONS['purge-history'], { attempts: 3, backoffMs: 10, timeoutMs: 200 });
  });

  afterEach(() => {
    queue.onApplicationShutdown();
    Object.assign(JOB_DEFINITIONS['purge-history'], original);
  });

  const settle = (ms = 150) => new Promise((resolve) => setTimeout(resolve, ms));

  it('runs a registered handler with its payload and context', async () => {
    const seen: unknown[] = [];
    queue.register('purge-history', async (data, context) => {
      seen.push([data, context.name, context.attempt]);
    });
    expect(await queue.enqueue('purge-history', { tick: 't1' })).toBe(true);
    await settle();
    expect(seen).toEqual([[{ tick: 't1' }, 'purge-history', 1]]);
    expect((await queue.counts()).maintenance.completed).toBe(1);
  });

  it('runs a job id once however often it is enqueued', async () => {
    let runs = 0;
    queue.register('purge-history', async () => {
      runs++;
    });
    expect(await queue.enqueue('purge-history', { tick: 't' }, { jobId: 'same' })).toBe(true);
    expect(await queue.enqueue('purge-history', { tick: 't' }, { jobId: 'same' })).toBe(false);
    await settle();
    expect(runs).toBe(1);
  });

  it('retries a transient failure with backoff until it succeeds', async () => {
    const attempts: number[] = [];
    queue.register('purge-history', async (_data, context) => {
      attempts.push(context.attempt);
      if (context.attempt < 3) throw new Error('flaky');
    });
    await queue.enqueue('purge-history', { tick: 't' });
    await settle(300);
    expect(attempts).toEqual([1, 2, 3]);
    const counts = (await queue.counts()).maintenance;
    expect(counts.completed).toBe(1);
    expect(counts.failed).toBe(0);
  });

  it('gives up after the configured attempts', async () => {
    let runs = 0;
    queue.register('purge-history', async () => {
      runs++;
      throw new Error('always');
    });
    await queue.enqueue('purge-history', { tick: 't' });
    await settle(300);
    expect(runs).toBe(3);
    expect((await queue.counts()).maintenance.failed).toBe(1);
  });

  it('does not retry a permanent failure', async () => {
    let runs = 0;
    queue.register('purge-history', async () => {
      runs++;
      throw new PermanentJobError('bad payload');
    });
    await queue.enqueue('purge-history', { tick: 't' });
    await settle();
    expect(runs).toBe(1);
    expect((await queue.counts()).maintenance.failed).toBe(1);
  });

  it('fails a job that exceeds its time limit', async () => {
    Object.assign(JOB_DEFINITIONS['purge-history'], { attempts: 1, timeoutMs: 30 });
    queue.register('purge-history', () => new Promise((resolve) => setTimeout(resolve, 500)));
    await queue.enqueue('purge-history', { tick: 't' });
    await settle();
    expect((await queue.counts()).maintenance.failed).toBe(1);
  });

  it('refuses a second handler for the same job', () => {
    queue.register('purge-history', async () => undefined);
    expect(() => queue.register('purge-history', async () => undefined)).toThrow(/already registered/);
  });
});
