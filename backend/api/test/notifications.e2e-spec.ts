import { createHmac } from 'node:crypto';
import { DataSource, Repository } from 'typeorm';
import { RunningApp, startApp } from '../src/bootstrap';
import { JobQueue } from '../src/scheduler/job-queue';
import { JOB_DEFINITIONS } from '../src/scheduler/jobs';
import { NotificationDeliveryEntity } from '../src/notifications/notification-delivery.entity';
import { RecordingServer } from './support/recording-server';
import { dataSourceTransactions, SignalEventWriter } from './support/signal-event-writer';
import { createTestEnvironment, eventually, TestEnvironment } from './support/test-env';

const SECRET = 'webhook-secret-for-tests';
const TOKEN = '123456:test-token';

// The same suite on both job drivers: Bull on Redis (when REDIS_URL is set) and in-process.
const DRIVERS = process.env.REDIS_URL ? [{ redis: true }, { redis: false }] : [{ redis: false }];

describe.each(DRIVERS)(
  'notifications (redis: $redis): webhook and Telegram, once per event and channel, retried, given up',
  ({ redis }) => {
    let environment: TestEnvironment;
    let running: RunningApp;
    let webhook: RecordingServer;
    let telegram: RecordingServer;
    let writer: SignalEventWriter;
    let jobs: JobQueue;
    let deliveries: Repository<NotificationDeliveryEntity>;
    const original = { ...JOB_DEFINITIONS.notify };
    let tick = 0;

    beforeAll(async () => {
      Object.assign(JOB_DEFINITIONS.notify, { attempts: 3, backoffMs: 200 });
      webhook = await new RecordingServer().start();
      telegram = await new RecordingServer().start();
      environment = await createTestEnvironment({ redis });
      running = await startApp(
        environment.config({
          NOTIFY_WEBHOOK_URL: `${webhook.url}/hook`,
          NOTIFY_WEBHOOK_SECRET: SECRET,
          TELEGRAM_BOT_TOKEN: TOKEN,
          TELEGRAM_CHAT_ID: '-100200300',
          TELEGRAM_API_URL: telegram.url,
          NOTIFY_MIN_CONFIDENCE: '85',
        }),
        { host: '127.0.0.1' },
      );
      const db = running.app.get(DataSource);
      writer = new SignalEventWriter(dataSourceTransactions(db));
      jobs = running.app.get(JobQueue);
      expect(jobs.driver).toBe(redis ? 'bull' : 'in-process');
      deliveries = db.getRepository(NotificationDeliveryEntity);
    });

    afterAll(async () => {
      Object.assign(JOB_DEFINITIONS.notify, original);
      await running?.close();
      await environment?.cleanup();
      await Promise.all([webhook?.close(), telegram?.close()]);
    });

    /** Market times of now: the notifier skips signals whose market time is stale (history replays). */
    const fresh = () => {
      const now = new Date(Math.floor(Date.now() / 1000) * 1000).toISOString();
      return { candleOpenTime: now, createdAt: now, updatedAt: now };
    };
    const dispatch = () =>
      jobs.enqueue('dispatch-notifications', { tick: `t${++tick}` }, { jobId: `dispatch-test-${tick}` });
    const webhookBodies = () => webhook.requests.map((request) => JSON.parse(request.body));

    it('delivers a high-confidence creation and every close to both channels, signed, once', async () => {
      const strong = await writer.create({ ...fresh(), confidence: 90, symbol: 'BTCUSDT' });
      await writer.create({ ...fresh(), confidence: 75, symbol: 'ETHUSDT' });
      const closed = await writer.close(strong.signal, 'TP_HIT');
      await dispatch();
      await eventually(
        async () => webhook.requests.length === 2 && telegram.requests.length === 2,
        15_000,
        'two deliveries per channel',
      );

      expect(webhookBodies().map((body) => [body.event, body.seq, body.signal.symbol])).toEqual([
        ['created', strong.seq, 'BTCUSDT'],
        ['deleted', closed.seq, 'BTCUSDT'],
      ]);
      for (const request of webhook.requests) {
        const expected = `sha256=${createHmac('sha256', SECRET).update(request.body).digest('hex')}`;
        expect(request.headers['x-signature']).toBe(expected);
        expect(request.headers['idempotency-key']).toMatch(/^\d+:webhook$/);
      }
      expect(telegram.requests.every((request) => request.url === `/bot${TOKEN}/sendMessage`)).toBe(true);
      const texts = telegram.requests.map((request) => JSON.parse(request.body));
      expect(texts[0]).toMatchObject({ chat_id: '-100200300' });
      expect(texts[0].text).toContain('LONG BTCUSDT 5m — confidence 90%');
      expect(texts[1].text).toContain('BTCUSDT 5m LONG closed: TP_HIT');

      await dispatch();
      await dispatch();
      await new Promise((resolve) => setTimeout(resolve, 800));
      expect(webhook.requests).toHaveLength(2);
      expect(telegram.requests).toHaveLength(2);
    });

    it('does not notify history: a signal whose market time is long past', async () => {
      webhook.requests.length = 0;
      await writer.create({ confidence: 97, symbol: 'OLDUSDT' });
      await dispatch();
      await new Promise((resolve) => setTimeout(resolve, 800));
      expect(webhookBodies().filter((body) => body.signal.symbol === 'OLDUSDT')).toEqual([]);
    });

    it('retries a delivery after a 500 and delivers it once', async () => {
      webhook.requests.length = 0;
      let failures = 1;
      webhook.respond = () => (failures-- > 0 ? { status: 500 } : { status: 200 });
      const event = await writer.create({ ...fresh(), confidence: 95, symbol: 'SOLUSDT' });
      await dispatch();
      const key = `${event.seq}:webhook`;
      const row = await eventually(
        async () => {
          const found = await deliveries.findOneBy({ idempotencyKey: key });
          return found?.status === 'delivered' ? found : undefined;
        },
        15_000,
        'the retried delivery',
      );
      expect(row.attempts).toBe(2);
      expect(webhook.requests).toHaveLength(2);
    });

    it('gives up after the attempt limit and records the failure', async () => {
      webhook.requests.length = 0;
      webhook.respond = () => ({ status: 503 });
      const event = await writer.create({ ...fresh(), confidence: 99, symbol: 'XRPUSDT' });
      await dispatch();
      const key = `${event.seq}:webhook`;
      const row = await eventually(
        async () => {
          const found = await deliveries.findOneBy({ idempotencyKey: key });
          return found?.status === 'failed' ? found : undefined;
        },
        20_000,
        'the failed delivery',
      );
      expect(row.attempts).toBe(3);
      expect(row.lastError).toMatch(/HTTP 503/);
      await dispatch();
      await new Promise((resolve) => setTimeout(resolve, 800));
      expect(webhook.requests).toHaveLength(3);
      webhook.respond = () => ({ status: 200 });
    });
  },
);
