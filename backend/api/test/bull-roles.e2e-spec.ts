import request from 'supertest';
import { DataSource } from 'typeorm';
import { RunningApp, startApp } from '../src/bootstrap';
import { CronProducer } from '../src/scheduler/cron.producer';
import { JobQueue } from '../src/scheduler/job-queue';
import { storeOldClosedSignal } from './support/old-closed-signal';
import { describeWithRedis } from './support/redis-suite';
import { createTestEnvironment, eventually, TestEnvironment } from './support/test-env';

describeWithRedis('roles on Bull + Postgres: an api process and a worker process', () => {
  let environment: TestEnvironment;
  let api: RunningApp;
  let secondApi: RunningApp;
  let worker: RunningApp;

  beforeAll(async () => {
    environment = await createTestEnvironment();
    // The worker first: it runs the migrations the api processes then find applied.
    worker = await startApp(environment.config({ APP_ROLE: 'worker' }));
    api = await startApp(environment.config({ APP_ROLE: 'api' }), { host: '127.0.0.1' });
    secondApi = await startApp(environment.config({ APP_ROLE: 'api' }), { host: '127.0.0.1' });
  });

  afterAll(async () => {
    await Promise.all([api?.close(), secondApi?.close(), worker?.close()]);
    await environment?.cleanup();
  });

  it('the api process is ready with Postgres and Redis; the worker has no HTTP', async () => {
    const response = await request(api.url as string)
      .get('/api/health/ready')
      .expect(200);
    expect(response.body.details).toMatchObject({ database: { status: 'up' }, redis: { status: 'up' } });
    expect(worker.url).toBeNull();
  });

  it('a job enqueued by an api process is run by the worker process', async () => {
    const tick = new Date(Date.UTC(2026, 0, 2, 3, 40)).toISOString();
    const stillStored = await storeOldClosedSignal(api.app.get(DataSource), 'PURGEUSDT');
    expect(await api.app.get(JobQueue).enqueue('purge-history', { tick })).toBe(true);
    await eventually(async () => !(await stillStored()), 20_000, 'the purge run by the worker');
  });

  it('two api processes firing the same cron tick enqueue one job', async () => {
    const jobs = worker.app.get(JobQueue);
    const completed = async () => (await jobs.counts()).maintenance.completed;
    const before = await completed();
    const now = Date.parse('2026-01-03T05:17:00.004Z');
    const results = await Promise.all([
      api.app.get(CronProducer).fire('purge-history', '0 17 * * * *', now),
      secondApi.app.get(CronProducer).fire('purge-history', '0 17 * * * *', now + 900),
    ]);
    expect(results.filter(Boolean)).toHaveLength(1);
    await eventually(async () => (await completed()) === before + 1, 20_000, 'the tick job');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await completed()).toBe(before + 1);
  });
});
