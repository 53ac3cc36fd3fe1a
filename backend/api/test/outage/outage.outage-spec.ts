import { ExchangeSim, startExchangeSim } from '@scanner/exchange-sim';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { RunningApp, startApp } from '../../src/bootstrap';
import { describeWithRedis } from '../support/redis-suite';
import { createTestEnvironment, eventually, TestEnvironment } from '../support/test-env';
import { services } from './services';

const START = Date.parse('2024-08-05T00:01:00Z');
const FIVE_MIN = 300_000;
const OUTAGE_MS = 30_000;

jest.setTimeout(300_000);

describeWithRedis('stopping Postgres, then Redis, for 30 s during scanning', () => {
  let sim: ExchangeSim;
  let environment: TestEnvironment;
  let running: RunningApp;
  let url: string;
  let db: DataSource;
  let virtualNow = START;

  beforeAll(async () => {
    const missing = services.available();
    if (missing !== null) throw new Error(`outage tests need the machine's services: ${missing}`);
    sim = await startExchangeSim({
      symbols: ['BTCUSDT', 'ETHUSDT'],
      intervals: ['5m'],
      clock: { startTime: START, paused: true },
      log: false,
    });
    environment = await createTestEnvironment();
    running = await startApp(
      environment.config({
        BINANCE_REST_URL: sim.url,
        SCAN_SYMBOLS_ALLOW: 'BTCUSDT,ETHUSDT',
        SCAN_TIMEFRAMES: '5m',
        SCAN_CRON: '*/2 * * * * *',
      }),
      { host: '127.0.0.1' },
    );
    url = running.url as string;
    db = running.app.get(DataSource);
  });

  afterAll(async () => {
    services.restoreAll();
    await running?.close().catch(() => undefined);
    await environment?.cleanup().catch(() => undefined);
    await sim?.close();
  });

  const ready = async () =>
    request(url)
      .get('/api/health/ready')
      .timeout(8_000)
      .then(
        (r) => r,
        () => null,
      );
  const advance = () => {
    virtualNow += FIVE_MIN;
    sim.clock.set(virtualNow);
  };
  const lastOkScan = async (): Promise<number> => {
    const [row] = await db.query(
      `SELECT coalesce(max(id), 0)::int AS id FROM scan_runs WHERE status IN ('ok', 'partial')`,
    );
    return row.id;
  };
  const storedCandles = async () =>
    db.query(
      `SELECT symbol, count(*)::int AS count, count(DISTINCT open_time)::int AS distinct_count, min(open_time) AS first, max(open_time) AS last
         FROM candles GROUP BY symbol ORDER BY symbol`,
    );
  const eventsAreClean = async () => {
    const [row] = await db.query(
      `SELECT count(*)::int AS events, count(DISTINCT (signal_id, (payload->>'version')))::int AS distinct_versions FROM signal_events`,
    );
    return row.events === row.distinct_versions;
  };

  async function outage(stop: () => void, start: () => void, part: 'database' | 'redis'): Promise<void> {
    const before = await lastOkScan();
    stop();
    try {
      const down = await eventually(
        async () => {
          const response = await ready();
          return response?.status === 503 ? response : undefined;
        },
        20_000,
        `readiness to report ${part} down`,
      );
      expect(down.body.error[part].status).toBe('down');
      const deadline = Date.now() + OUTAGE_MS;
      while (Date.now() < deadline) {
        advance();
        // The process stays alive and answers liveness throughout.
        await request(url).get('/api/health').timeout(5_000).expect(200);
        await new Promise((resolve) => setTimeout(resolve, 3_000));
      }
    } finally {
      start();
    }
    await eventually(async () => (await ready())?.status === 200, 90_000, 'readiness after the restart');
    advance();
    await eventually(
      async () => (await lastOkScan()) > before,
      90_000,
      'a successful scan after the restart',
    );
  }

  it('reports the outage, survives it, resumes scanning, and loses or duplicates nothing', async () => {
    await eventually(async () => (await lastOkScan()) > 0, 90_000, 'a first successful scan');

    await outage(
      () => services.stopPostgres(),
      () => services.startPostgres(),
      'database',
    );
    await outage(
      () => services.stopRedis(),
      () => services.startRedis(),
      'redis',
    );

    // Every closed candle up to the replay's "now" is stored once, for both symbols, no gap.
    const lastClosedOpen = Math.floor(virtualNow / FIVE_MIN) * FIVE_MIN - FIVE_MIN;
    await eventually(
      async () =>
        (await storedCandles()).every((row: { last: string }) => Number(row.last) === lastClosedOpen),
      60_000,
      'the catch-up',
    );
    // Contiguous from the cold scan's first candle to the last closed one: no gap, no duplicate.
    for (const row of await storedCandles()) {
      expect(row.count).toBe(row.distinct_count);
      expect(row.count).toBe((Number(row.last) - Number(row.first)) / FIVE_MIN + 1);
      expect(Number(row.first)).toBeLessThan(START - 900 * FIVE_MIN);
    }
    expect(await eventsAreClean()).toBe(true);
    await eventually(
      async () => {
        const states = await db.query(`SELECT last_candle_open_time FROM engine_states`);
        return (
          states.length === 2 &&
          states.every(
            (row: { last_candle_open_time: string }) => Number(row.last_candle_open_time) === lastClosedOpen,
          )
        );
      },
      30_000,
      'both engines at the last closed candle',
    );
  });
});
