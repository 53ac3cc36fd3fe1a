import { ExchangeSim, startExchangeSim } from '@scanner/exchange-sim';
import type { Signal } from '@scanner/contracts';
import { createHmac } from 'node:crypto';
import { appForSuite } from './support/app-suite';
import { RecordingServer } from './support/recording-server';
import { eventually } from './support/test-env';

const SECRET = 'webhook-secret-for-tests';
const START = Date.parse('2024-08-04T00:00:00Z');
/** Older than this when recorded is history (a warm-up replay), never notified: two 5m candles and a minute. */
const STALE_MS = 2 * 300_000 + 60_000;

/**
 * The demo's setup (scripts/demo.ts: the simulator replaying 2024 candles, embedded database, in-process
 * jobs, a scan per 5 market minutes), 5× faster, with a signed webhook. Market times are 2024, the host's
 * clock is today: notifications must be judged on the market's clock to be sent at all.
 */
describe('notifications judged on market time: a replaying exchange with a webhook', () => {
  let sim: ExchangeSim;
  let webhook: RecordingServer;

  beforeAll(async () => {
    webhook = await new RecordingServer().start();
    // 150×: a 5m candle every 2 s, a scan every second (the demo: 60× and a scan every 5 s). Faster, a
    // loaded machine's scans fall more than two candles behind and live signals rightly look stale.
    sim = await startExchangeSim({ intervals: ['5m'], clock: { startTime: START, speed: 150 }, log: false });
  });

  const app = appForSuite(() => ({
    BINANCE_REST_URL: sim.url,
    MARKET_DATA_SOURCE: 'poll',
    SCAN_TIMEFRAMES: '5m',
    SCAN_CRON: '* * * * * *',
    NOTIFY_WEBHOOK_URL: `${webhook.url}/hook`,
    NOTIFY_WEBHOOK_SECRET: SECRET,
    NOTIFY_MIN_CONFIDENCE: '0',
  }));

  afterAll(async () => {
    await sim?.close();
    await webhook?.close();
  });

  const bodies = () =>
    webhook.requests.map(
      (request) => JSON.parse(request.body) as { event: string; seq: number; signal: Signal },
    );
  const eventTime = (body: { event: string; signal: Signal }) =>
    Date.parse(
      body.event === 'deleted' ? (body.signal.closedAt ?? body.signal.updatedAt) : body.signal.createdAt,
    );

  it('delivers signed notifications for signals created live and none for the warm-up replay', async () => {
    await eventually(
      async () => bodies().some((body) => body.event === 'created'),
      240_000,
      'a live signal delivered to the webhook',
    );

    for (const request of webhook.requests) {
      expect(request.headers['x-signature']).toBe(
        `sha256=${createHmac('sha256', SECRET).update(request.body).digest('hex')}`,
      );
    }
    // The warm-up recreated history (signals created and closed long before the replay's start)...
    const replayed = (await app.db.query(
      `SELECT count(*)::int AS n FROM signal_events WHERE market_time - (extract(epoch FROM (payload->>'createdAt')::timestamptz) * 1000) > $1`,
      [STALE_MS],
    )) as { n: number }[];
    expect(replayed[0].n).toBeGreaterThan(0);
    // ...and none of it went out: every delivery is about something that happened live, after the start.
    expect(bodies().filter((body) => eventTime(body) < START - STALE_MS)).toEqual([]);
    const created = bodies().filter((body) => body.event === 'created');
    // Created live: on a candle within the freshness window of the step that found it, which for the first
    // scan after the start can be a candle that closed just before it.
    expect(created.every((body) => Date.parse(body.signal.createdAt) >= START - STALE_MS)).toBe(true);
    // Once each.
    expect(new Set(bodies().map((body) => body.seq)).size).toBe(webhook.requests.length);
  }, 300_000);
});
