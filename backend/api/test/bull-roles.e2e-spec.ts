import request from 'supertest';
import { DataSource } from 'typeorm';
import { RunningApp, startApp } from '../src/bootstrap';
import { HealthSnapshotEntity } from '../src/health/health-snapshot.entity';
import { CronProducer } from '../src/scheduler/cron.producer';
import { JobQueue } from '../src/scheduler/job-queue';
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
    const response = await request(api.url as string).get('/api/health/ready').expect(200);
    expect(response.body.details).toMatchObject({ database: { status: 'up' }, redis: { status: 'up' } });
    expect(worker.url).toBeNull();
  });

  it('a job enqueued by an api process is run by the worker process', async () => {
    const tick = new Date(Date.UTC(2026, 0, 2, 3, 40)).toISOString();
    expect(await api.app.get(JobQueue).enqueue('health-snapshot', { tick })).toBe(true);
    const snapshots = worker.app.get(DataSource).getRepository(HealthSnapshotEntity);
    const stored = await eventually(async () => (await snapshots.findOneBy({ recordedAt: new Date(tick) })) ?? undefined, 20_000, 'the snapshot');
    expect(stored.details).toMatchObject({ database: { status: 'up' }, redis: { status: 'up' } });
  });

  it('two api processes firing the same cron tick enqueue one job', async () => {
    const now = Date.parse('2026-01-03T05:10:00.004Z');
    const results = await Promise.all([
      api.app.get(CronProducer).fire('health-snapshot', '0 */10 * * * *', now),
      secondApi.app.get(CronProducer).fire('health-snapshot', '0 */10 * * * *', now + 900),
    ]);
    expect(results.filter(Boolean)).toHaveLength(1);
    const snapshots = worker.app.get(DataSource).getRepository(HealthSnapshotEntity);
    const at = new Date('2026-01-03T05:10:00.000Z');
    await eventually(async () => (await snapshots.countBy({ recordedAt: at })) === 1, 20_000, 'the tick job');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await snapshots.countBy({ recordedAt: at })).toBe(1);
  });
});
