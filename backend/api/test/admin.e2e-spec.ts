import request from 'supertest';
import { startApp } from '../src/bootstrap';
import { JobQueue } from '../src/scheduler/job-queue';
import { appForSuite } from './support/app-suite';
import { describeWithRedis } from './support/redis-suite';
import { createTestEnvironment, eventually } from './support/test-env';

const KEY = 'test-admin-key-0123456789abcdef';
/** No exchange there: nothing these suites do needs one. */
const NO_EXCHANGE = { BINANCE_REST_URL: 'http://127.0.0.1:9' };

describe('admin API', () => {
  const app = appForSuite({ ...NO_EXCHANGE, ADMIN_API_KEY: KEY });

  it.each(['/api/admin/status', '/api/admin/queues'])(
    'GET %s: 401 without a key and with a wrong one',
    async (path) => {
      const missing = await request(app.url).get(path).set('Accept', 'application/json').expect(401);
      expect(missing.body.message).toMatch(/X-API-Key/);
      const wrong = await request(app.url).get(path).set('X-API-Key', `${KEY}x`).expect(401);
      expect(wrong.body.message).toMatch(/Invalid X-API-Key/);
    },
  );

  it.each([['/api/admin/scan'], ['/api/admin/scanner/pause'], ['/api/admin/scanner/resume']])(
    'POST %s: 401 without the key',
    async (path) => {
      await request(app.url).post(path).expect(401);
    },
  );

  it('reports status with the key: job driver, queues, weight, last scans, pause state', async () => {
    const response = await request(app.url).get('/api/admin/status').set('X-API-Key', KEY).expect(200);
    expect(response.body).toMatchObject({
      role: 'all',
      jobDriver: app.environment.env.REDIS_URL ? 'bull' : 'in-process',
      paused: false,
      weight: { limit: expect.any(Number), exchangeLimit: 6000 },
    });
    expect(Object.keys(response.body.queues).sort()).toEqual(['maintenance', 'notifications', 'scanner']);
    expect(Array.isArray(response.body.lastScans)).toBe(true);
  });

  it('pauses and resumes the scanner, visible in status; a cron tick while paused is skipped and says so', async () => {
    const paused = await request(app.url).post('/api/admin/scanner/pause').set('X-API-Key', KEY).expect(200);
    expect(paused.body.paused).toBe(true);
    expect((await request(app.url).get('/api/admin/status').set('X-API-Key', KEY)).body).toMatchObject({
      paused: true,
      pausedSince: paused.body.since,
    });
    const tick = '2026-02-01T00:00:00.000Z';
    await app.running.app
      .get(JobQueue)
      .enqueue('scan-market', { tick, trigger: 'cron' }, { jobId: `scan-market:${tick}` });
    const skipped = await eventually(
      async () => {
        const runs = (await request(app.url).get('/api/admin/status').set('X-API-Key', KEY)).body
          .lastScans as Array<{ status: string; errors: Array<{ error: string }> }>;
        return runs.find((run) => run.status === 'skipped');
      },
      15_000,
      'the skipped tick',
    );
    expect(skipped.errors[0].error).toBe('scanner paused by an operator');
    await request(app.url).post('/api/admin/scanner/resume').set('X-API-Key', KEY).expect(200);
    expect((await request(app.url).get('/api/admin/status').set('X-API-Key', KEY)).body.paused).toBe(false);
  });

  it('reads and replaces the engine config, validated with a 400 naming each bad field', async () => {
    const current = await request(app.url).get('/api/admin/config').set('X-API-Key', KEY).expect(200);
    expect(current.body).toMatchObject({ minConfidence: 70, expiryCandles: 12 });
    const updated = await request(app.url)
      .put('/api/admin/config')
      .set('X-API-Key', KEY)
      .send({ minConfidence: 75 })
      .expect(200);
    expect(updated.body.minConfidence).toBe(75);
    expect((await request(app.url).get('/api/admin/config').set('X-API-Key', KEY)).body.minConfidence).toBe(
      75,
    );
    const bad = await request(app.url)
      .put('/api/admin/config')
      .set('X-API-Key', KEY)
      .send({ minConfidence: -5, expiryCandles: 'x' })
      .expect(400);
    expect(JSON.stringify(bad.body.message)).toMatch(/minConfidence/);
    await request(app.url).put('/api/admin/config').set('X-API-Key', KEY).send([1]).expect(400);
    await request(app.url).put('/api/admin/config').send({ minConfidence: 80 }).expect(401);
    expect((await request(app.url).get('/api/admin/config').set('X-API-Key', KEY)).body.minConfidence).toBe(
      75,
    );
  });

  it('enqueues a scan now', async () => {
    const response = await request(app.url).post('/api/admin/scan').set('X-API-Key', KEY).expect(202);
    expect(response.body.enqueued).toBe(true);
  });

  it('says the queue dashboard needs Redis when jobs run in-process', async () => {
    const inProcess = await createTestEnvironment({ redis: false });
    const local = await startApp(inProcess.config({ ...NO_EXCHANGE, ADMIN_API_KEY: KEY }), {
      host: '127.0.0.1',
    });
    try {
      const response = await request(local.url as string)
        .get('/api/admin/queues')
        .set('X-API-Key', KEY)
        .expect(404);
      expect(response.body.message).toMatch(/needs Redis/);
    } finally {
      await local.close();
      await inProcess.cleanup();
    }
  });
});

describe('admin API without ADMIN_API_KEY', () => {
  const app = appForSuite(NO_EXCHANGE);

  it('keeps admin routes disabled (403), not open', async () => {
    const response = await request(app.url)
      .get('/api/admin/status')
      .set('X-API-Key', 'anything-at-all-here')
      .expect(403);
    expect(response.body.message).toMatch(/disabled/);
    await request(app.url).post('/api/admin/scanner/pause').expect(403);
  });
});

describeWithRedis('queue dashboard (Bull Board) behind the admin key', () => {
  const app = appForSuite({ ...NO_EXCHANGE, ADMIN_API_KEY: KEY });

  it('loads with the X-API-Key header and lists the three queues', async () => {
    const page = await request(app.url).get('/api/admin/queues').set('X-API-Key', KEY).expect(200);
    expect(page.text).toMatch(/<html/i);
    const queues = await request(app.url)
      .get('/api/admin/queues/api/queues')
      .set('X-API-Key', KEY)
      .expect(200);
    expect(queues.body.queues.map((queue: { name: string }) => queue.name).sort()).toEqual([
      'maintenance',
      'notifications',
      'scanner',
    ]);
  });

  it('offers a sign-in form to a browser and lets it in with the same key', async () => {
    const form = await request(app.url).get('/api/admin/queues').set('Accept', 'text/html').expect(401);
    expect(form.text).toContain('Admin API key');
    await request(app.url)
      .post('/api/admin/queues/login')
      .type('form')
      .send({ key: 'wrong-key' })
      .expect(401);
    const login = await request(app.url)
      .post('/api/admin/queues/login')
      .type('form')
      .send({ key: KEY })
      .expect(303);
    const cookie = login.headers['set-cookie'][0];
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    expect(cookie).not.toContain(KEY);
    await request(app.url).get('/api/admin/queues').set('Cookie', cookie.split(';')[0]).expect(200);
  });
});
