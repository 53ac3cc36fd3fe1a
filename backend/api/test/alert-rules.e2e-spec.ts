import type { AlertDelivery, AlertRule, Signal, SignalConfluence } from '@scanner/contracts';
import { IndicatorSet, type SignalEngineSnapshot } from '@scanner/signal-core';
import { createHmac } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { RunningApp, startApp } from '../src/bootstrap';
import { JobQueue } from '../src/scheduler/job-queue';
import { JOB_DEFINITIONS } from '../src/scheduler/jobs';
import { RecordingServer } from './support/recording-server';
import { dataSourceTransactions, SignalEventWriter, type WrittenEvent } from './support/signal-event-writer';
import { createTestEnvironment, eventually, TestEnvironment } from './support/test-env';

const KEY = 'alert-rules-admin-key-0123456789';
const SECRET = 'alert-webhook-secret';
const MINUTE = 60_000;
const INTERVAL: Record<string, number> = { '5m': 5 * MINUTE, '15m': 15 * MINUTE, '1h': 60 * MINUTE };

/** An engine snapshot of `count` candles zig-zagging up (+1) or down (−1), its last candle closing at `closeTime`. */
function trendSnapshot(
  symbol: string,
  timeframe: string,
  direction: 1 | -1,
  closeTime: number,
): SignalEngineSnapshot {
  const set = new IndicatorSet();
  let price = 1000;
  for (let i = 0; i < 260; i++) {
    const close = price + direction * (i % 2 === 0 ? 2 : -1.2);
    set.add({ open: price, high: Math.max(price, close) + 0.3, low: Math.min(price, close) - 0.3, close });
    price = close;
  }
  return {
    format: 'signal-engine/1',
    symbol,
    timeframe,
    lastOpenTime: closeTime - INTERVAL[timeframe],
    lastSignalCloseOpenTime: null,
    candles: 260,
    ignoredCandles: 0,
    gaps: 0,
    indicators: set.getState(),
    active: null,
  };
}

interface WebhookBody {
  event: string;
  rule: { id: string; name: string };
  seq: number | null;
  idempotencyKey: string;
  signal: Signal;
  confluence: SignalConfluence | null;
}

/**
 * Alert rules end to end (issue 17): two app processes on one Postgres (each plans and sends), signal
 * events written the way the engine writes them, the other timeframes' engine states stored as the
 * engine stores them, and local HTTP sinks for a signed webhook, a Discord webhook and a failing hook.
 * On Bull (REDIS_URL) the two share one queue; in-process, each runs its own jobs, so only the database
 * (the cursor lock, the key, the claimed attempt) keeps every delivery single.
 */
const DRIVERS = process.env.REDIS_URL ? [{ redis: true }, { redis: false }] : [{ redis: false }];

describe.each(DRIVERS)(
  'alert rules (redis: $redis): confluence, cooldown, channels, exactly once across processes',
  ({ redis }) => {
    let environment: TestEnvironment;
    let first: RunningApp;
    /** A second process on the same Postgres (the embedded PGlite is one process by design: none then). */
    let second: RunningApp | null = null;
    let db: DataSource;
    let writer: SignalEventWriter;
    let webhook: RecordingServer;
    let discord: RecordingServer;
    let failing: RecordingServer;
    let url: string;
    const original = { ...JOB_DEFINITIONS.notify };
    let tick = 0;
    const now = Math.floor(Date.now() / 1000) * 1000;

    beforeAll(async () => {
      Object.assign(JOB_DEFINITIONS.notify, { attempts: 3, backoffMs: 200 });
      [webhook, discord, failing] = await Promise.all([
        new RecordingServer().start(),
        new RecordingServer().start(),
        new RecordingServer().start(),
      ]);
      discord.respond = () => ({ status: 204 });
      failing.respond = () => ({ status: 503, body: { error: 'down for maintenance' } });
      environment = await createTestEnvironment({ redis });
      const config = environment.config({ SCAN_TIMEFRAMES: '5m,15m,1h', ADMIN_API_KEY: KEY });
      first = await startApp(config, { host: '127.0.0.1' });
      if (process.env.DATABASE_URL) second = await startApp(config, { host: '127.0.0.1' });
      url = first.url as string;
      expect(first.app.get(JobQueue).driver).toBe(redis ? 'bull' : 'in-process');
      db = first.app.get(DataSource);
      writer = new SignalEventWriter(dataSourceTransactions(db));
    }, 300_000);

    afterAll(async () => {
      Object.assign(JOB_DEFINITIONS.notify, original);
      await Promise.all([first?.close(), second?.close()]);
      await environment?.cleanup();
      await Promise.all([webhook?.close(), discord?.close(), failing?.close()]);
    });

    const admin = {
      get: (path: string) => request(url).get(path).set('X-API-Key', KEY),
      post: (path: string, body?: object) => request(url).post(path).set('X-API-Key', KEY).send(body),
      put: (path: string, body: object) => request(url).put(path).set('X-API-Key', KEY).send(body),
      delete: (path: string) => request(url).delete(path).set('X-API-Key', KEY),
    };
    /** Both processes plan and send at once. */
    const dispatch = async () => {
      tick += 1;
      await Promise.all(
        [first, ...(second === null ? [] : [second])].map((app, i) =>
          app.app
            .get(JobQueue)
            .enqueue(
              'dispatch-notifications',
              { tick: `t${tick}-${i}` },
              { jobId: `dispatch-alerts-${tick}-${i}` },
            ),
        ),
      );
    };
    const storeState = (symbol: string, timeframe: string, direction: 1 | -1) =>
      db.query(
        `INSERT INTO engine_states (symbol, timeframe, last_candle_open_time, state) VALUES ($1, $2, $3, $4)`,
        [
          symbol,
          timeframe,
          now - INTERVAL[timeframe],
          JSON.stringify({ revision: 1, snapshot: trendSnapshot(symbol, timeframe, direction, now) }),
        ],
      );
    /**
     * A creation at `now + offsetMs` recorded as before signals carried their confluence (no
     * `confluence` key in the payload): planning computes it from the stored engine states.
     */
    const at = (offsetMs: number) => {
      const time = new Date(now + offsetMs).toISOString();
      return { candleOpenTime: time, createdAt: time, updatedAt: time, confluence: undefined };
    };
    /** A confluence as the write path stores it with a live signal. */
    const storedConfluence = (agreeing: number): SignalConfluence => ({
      timeframe: '15m',
      direction: 'LONG',
      agreeing,
      others: ['5m', '1h'].map((timeframe) => ({
        timeframe,
        activeDirection: null,
        trend: 'above',
        longConfidence: 70,
        shortConfidence: 20,
        asOf: new Date(now).toISOString(),
        stale: false,
        agrees: true,
      })),
    });
    /** In seq order: two processes send at once, so arrival order is not seq order. */
    const webhookBodies = () =>
      webhook.requests
        .map((r) => JSON.parse(r.body) as WebhookBody)
        .sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0));
    const discordBodies = () =>
      discord.requests.map(
        (r) => JSON.parse(r.body) as { content: string; embeds: Array<Record<string, unknown>> },
      );

    let rule: AlertRule;

    it('creates a rule through the admin API (validated, behind the key, secrets masked)', async () => {
      await request(url).get('/api/admin/alert-rules').expect(401);
      const bad = await admin
        .post('/api/admin/alert-rules', {
          name: '',
          direction: 'UP',
          timeframes: ['4h'],
          minAgreeingTimeframes: 5,
          channels: [{ type: 'webhook', url: 'ftp://x', bodyTemplate: '{{nope}}' }],
        })
        .expect(400);
      for (const field of [
        'name',
        'direction',
        'timeframes',
        'minAgreeingTimeframes',
        'channels[0].url',
        '{{nope}}',
      ])
        expect(bad.body.message).toContain(field);

      const created = await admin
        .post('/api/admin/alert-rules', {
          name: 'BTC/ETH longs on 2 timeframes',
          symbolPattern: 'BTCUSDT|ETHUSDT',
          direction: 'LONG',
          minConfidence: 70,
          minAgreeingTimeframes: 2,
          events: ['created', 'outcome'],
          cooldownMinutes: 60,
          channels: [
            { id: 'hook', type: 'webhook', url: `${webhook.url}/hook`, secret: SECRET, bodyTemplate: null },
            { id: 'discord', type: 'discord', url: `${discord.url}/api/webhooks/1/token` },
          ],
        })
        .expect(201);
      rule = created.body;
      expect(rule).toMatchObject({ minAgreeingTimeframes: 2, cooldownMinutes: 60, readOnly: false });
      expect(rule.channels[0]).toMatchObject({ id: 'hook', secret: '••••••' });
      expect(
        (await admin.get('/api/admin/alert-rules').expect(200)).body.map((r: AlertRule) => r.id),
      ).toEqual([rule.id]);
    });

    it('delivers exactly the qualifying signals to the webhook (signed) and Discord, each once; the cooldown suppresses a repeat', async () => {
      await storeState('BTCUSDT', '15m', 1);
      await storeState('BTCUSDT', '1h', 1);
      await storeState('ETHUSDT', '15m', 1);
      await storeState('ETHUSDT', '1h', -1);
      await storeState('SOLUSDT', '15m', 1);
      await storeState('SOLUSDT', '1h', 1);

      const btc = await writer.create({
        ...at(0),
        symbol: 'BTCUSDT',
        timeframe: '5m',
        direction: 'LONG',
        confidence: 80,
      });
      const eth = await writer.create({
        ...at(0),
        symbol: 'ETHUSDT',
        timeframe: '5m',
        direction: 'LONG',
        confidence: 75,
      });
      // Not for this rule: another symbol, the other direction, too weak, one timeframe only (ETH 15m: 1h falls, 5m has no state).
      await writer.create({
        ...at(0),
        symbol: 'SOLUSDT',
        timeframe: '5m',
        direction: 'LONG',
        confidence: 90,
      });
      await writer.create({
        ...at(0),
        symbol: 'BTCUSDT',
        timeframe: '15m',
        direction: 'SHORT',
        confidence: 90,
      });
      await writer.create({
        ...at(0),
        symbol: 'ETHUSDT',
        timeframe: '1h',
        direction: 'LONG',
        confidence: 60,
      });
      const eth15 = await writer.create({
        ...at(0),
        symbol: 'ETHUSDT',
        timeframe: '15m',
        direction: 'LONG',
        confidence: 90,
      });
      // A repeat within the hour: BTC LONG again on 1h (15m agrees: it qualifies), 20 market minutes later.
      const repeat = await writer.create({
        ...at(20 * MINUTE),
        symbol: 'BTCUSDT',
        timeframe: '1h',
        direction: 'LONG',
        confidence: 85,
      });
      // The BTC signal hits its target: an outcome of a signal that was alerted.
      const closed = await writer.close(btc.signal, 'TP_HIT');
      // Stored confluence is used as stored, never recomputed. A replay's null does not qualify: BTC 5m
      // again, whose states agree on 3, would otherwise be recorded as suppressed by the cooldown.
      await writer.create({
        ...at(0),
        symbol: 'BTCUSDT',
        timeframe: '5m',
        direction: 'LONG',
        confidence: 90,
        origin: 'replay',
        confluence: null,
      });
      // ETH 15m again (the first expired unalerted) with a stored agreement on 3, where its states
      // agree on 1 only: it qualifies, and the cooldown after ETH 5m suppresses it.
      await writer.close(eth15.signal, 'EXPIRED');
      const stored = await writer.create({
        ...at(0),
        symbol: 'ETHUSDT',
        timeframe: '15m',
        direction: 'LONG',
        confidence: 91,
        confluence: storedConfluence(3),
      });
      const expected: WrittenEvent[] = [btc, eth, closed];

      await dispatch();
      await eventually(
        async () => webhook.requests.length >= expected.length && discord.requests.length >= expected.length,
        20_000,
        'three alerts on each channel',
      );
      await dispatch();
      await dispatch();
      await new Promise((resolve) => setTimeout(resolve, 1_500));

      expect(
        webhookBodies().map((body) => [body.event, body.seq, body.signal.symbol, body.signal.timeframe]),
      ).toEqual([
        ['created', btc.seq, 'BTCUSDT', '5m'],
        ['created', eth.seq, 'ETHUSDT', '5m'],
        ['outcome', closed.seq, 'BTCUSDT', '5m'],
      ]);
      for (const r of webhook.requests) {
        expect(r.headers['x-signature']).toBe(
          `sha256=${createHmac('sha256', SECRET).update(r.body).digest('hex')}`,
        );
        expect(r.headers['idempotency-key']).toBe(JSON.parse(r.body).idempotencyKey);
      }
      const [btcBody, ethBody] = webhookBodies();
      expect(btcBody.rule).toEqual({ id: rule.id, name: rule.name });
      expect(btcBody.confluence).toMatchObject({ agreeing: 3, direction: 'LONG' });
      expect(btcBody.confluence?.others.map((o) => [o.timeframe, o.trend, o.agrees])).toEqual([
        ['15m', 'above', true],
        ['1h', 'above', true],
      ]);
      expect(ethBody.confluence?.agreeing).toBe(2);

      const discordMessages = discordBodies();
      expect(discordMessages.map((message) => message.content).sort()).toEqual([
        'BTCUSDT 5m LONG closed: TP_HIT',
        'LONG BTCUSDT 5m — 80%',
        'LONG ETHUSDT 5m — 75%',
      ]);
      const btcMessage = discordMessages.find((message) => message.content === 'LONG BTCUSDT 5m — 80%');
      expect(btcMessage?.embeds[0]).toMatchObject({ title: 'LONG BTCUSDT 5m — 80%', color: 0x2e7d32 });
      expect(JSON.stringify(btcMessage?.embeds[0].fields)).toContain('15m ▲✓ 1h ▲✓');

      const log = (await admin.get(`/api/admin/alert-rules/${rule.id}/deliveries`).expect(200)).body
        .deliveries as AlertDelivery[];
      const suppressed = log.filter((d) => d.status === 'suppressed');
      expect(suppressed.map((d) => [d.eventSeq, d.channelId]).sort()).toEqual(
        [
          [repeat.seq, 'discord'],
          [repeat.seq, 'hook'],
          [stored.seq, 'discord'],
          [stored.seq, 'hook'],
        ].sort(),
      );
      expect(suppressed.find((d) => d.eventSeq === repeat.seq)?.reason).toMatch(/^cooldown: BTCUSDT LONG/);
      expect(suppressed.find((d) => d.eventSeq === stored.seq)?.confluence).toEqual(storedConfluence(3));
      const sent = log.filter((d) => d.status === 'sent');
      expect(sent).toHaveLength(6);
      expect(sent.every((d) => d.attempts === 1 && d.log.length === 1 && d.log[0].ok)).toBe(true);
    }, 300_000);

    it('sends a test to every channel of the rule and logs it', async () => {
      webhook.requests.length = 0;
      discord.requests.length = 0;
      const results = (await admin.post(`/api/admin/alert-rules/${rule.id}/test`).expect(200)).body;
      expect(results).toEqual([
        { channelId: 'hook', channelType: 'webhook', ok: true, status: 200, answer: '{"ok":true}' },
        { channelId: 'discord', channelType: 'discord', ok: true, status: 204, answer: '' },
      ]);
      expect(webhookBodies()[0]).toMatchObject({
        event: 'test',
        signal: { symbol: 'BTCUSDT', direction: 'LONG' },
      });
      expect(webhook.requests[0].headers['x-signature']).toBe(
        `sha256=${createHmac('sha256', SECRET).update(webhook.requests[0].body).digest('hex')}`,
      );
      expect(discordBodies()[0].content).toMatch(/^\[test\] LONG BTCUSDT/);
      await admin.post(`/api/admin/alert-rules/${rule.id}/test`, { channelId: 'nope' }).expect(400);
      const log = (await admin.get(`/api/admin/alert-rules/${rule.id}/deliveries?limit=2`).expect(200)).body
        .deliveries as AlertDelivery[];
      expect(log.map((d) => [d.event, d.status])).toEqual([
        ['test', 'sent'],
        ['test', 'sent'],
      ]);
    });

    it('retries a failing channel with backoff, then gives up, and the log says so', async () => {
      const failingRule = (
        await admin
          .post('/api/admin/alert-rules', {
            name: 'everything to a broken hook',
            events: ['created'],
            channels: [
              {
                id: 'broken',
                type: 'webhook',
                url: `${failing.url}/hook`,
                secret: null,
                bodyTemplate: '{"text": "{{text}}", "symbol": "{{symbol}}"}',
              },
            ],
          })
          .expect(201)
      ).body as AlertRule;
      const event = await writer.create({ ...at(30 * MINUTE), symbol: 'ADAUSDT', confidence: 71 });
      await dispatch();
      const delivery = await eventually(
        async () => {
          const log = (await admin.get(`/api/admin/alert-rules/${failingRule.id}/deliveries`)).body
            .deliveries as AlertDelivery[];
          return log.find((d) => d.eventSeq === event.seq && d.status === 'failed');
        },
        20_000,
        'the failed delivery',
      );
      expect(delivery.attempts).toBe(3);
      expect(delivery.log.map((attempt) => [attempt.ok, attempt.status, attempt.answer])).toEqual([
        [false, 503, '{"error":"down for maintenance"}'],
        [false, 503, '{"error":"down for maintenance"}'],
        [false, 503, '{"error":"down for maintenance"}'],
      ]);
      expect(delivery.reason).toMatch(/^gave up after 3 attempts; last: webhook answered HTTP 503/);
      // The template went out as JSON with the text escaped into it.
      const sentBody = JSON.parse(failing.requests[0].body);
      expect(sentBody.symbol).toBe('ADAUSDT');
      expect(sentBody.text).toContain('LONG ADAUSDT 5m');
      await dispatch();
      await new Promise((resolve) => setTimeout(resolve, 800));
      expect(failing.requests.filter((r) => r.body.includes('ADAUSDT'))).toHaveLength(3);
    }, 300_000);

    it('edits and deletes a rule; a masked secret sent back keeps the stored one', async () => {
      const updated = (
        await admin
          .put(`/api/admin/alert-rules/${rule.id}`, { ...rule, name: 'renamed', cooldownMinutes: 0 })
          .expect(200)
      ).body as AlertRule;
      expect(updated).toMatchObject({ name: 'renamed', cooldownMinutes: 0 });
      webhook.requests.length = 0;
      await admin.post(`/api/admin/alert-rules/${rule.id}/test`, { channelId: 'hook' }).expect(200);
      expect(webhook.requests[0].headers['x-signature']).toBe(
        `sha256=${createHmac('sha256', SECRET).update(webhook.requests[0].body).digest('hex')}`,
      );
      await admin.put(`/api/admin/alert-rules/${rule.id}`, { ...rule, cooldownMinutes: -1 }).expect(400);
      await admin.delete(`/api/admin/alert-rules/${rule.id}`).expect(204);
      await admin.get(`/api/admin/alert-rules/${rule.id}`).expect(404);
      await admin.delete(`/api/admin/alert-rules/${rule.id}`).expect(404);
    });
  },
);
