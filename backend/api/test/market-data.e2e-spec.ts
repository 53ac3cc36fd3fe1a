import { ExchangeSim, startExchangeSim } from '@scanner/exchange-sim';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { RunningApp, startApp } from '../src/bootstrap';
import { BinanceClient } from '../src/market-data/binance-client';
import { CandleSyncService } from '../src/market-data/candle-sync.service';
import { ScanBatchService } from '../src/signal-engine/scan-batch.service';
import { InvalidIntervalError } from '../src/market-data/market-data.errors';
import { RequestWeightBudget } from '../src/market-data/request-weight-budget';
import { UniverseService } from '../src/market-data/universe.service';
import { JobQueue } from '../src/scheduler/job-queue';
import { createTestEnvironment, eventually, TestEnvironment } from './support/test-env';

const FIVE_MIN = 300_000;
const START = Date.parse('2024-08-05T10:02:00Z');
const REAL = ['BTCUSDT', 'ETHUSDT', 'SOLUSDT', 'XRPUSDT'];

describe('market data against the exchange simulator', () => {
  let sim: ExchangeSim;
  let environment: TestEnvironment;
  let running: RunningApp;
  let url: string;
  let db: DataSource;
  let now = START;

  beforeAll(async () => {
    sim = await startExchangeSim({
      symbols: REAL,
      intervals: ['5m', '1h'],
      extraSymbols: 'universe-test',
      clock: { startTime: START, paused: true },
      log: false,
    });
    environment = await createTestEnvironment();
    running = await startApp(
      environment.config({
        BINANCE_REST_URL: sim.url,
        SCAN_TOP_N: '3',
        SCAN_TIMEFRAMES: '5m,1h',
        SCAN_CRON: '0 0 0 1 1 *',
      }),
      { host: '127.0.0.1' },
    );
    url = running.url as string;
    db = running.app.get(DataSource);
    await eventually(
      async () => !(await running.app.get(UniverseService).isEmpty()),
      20_000,
      'the startup universe',
    );
  });

  afterAll(async () => {
    await running?.close();
    await environment?.cleanup();
    await sim?.close();
  });

  const advance = (ms: number): void => {
    now += ms;
    sim.clock.set(now);
  };
  const stored = async (symbol: string, interval = '5m'): Promise<number> =>
    (
      (await db.query(`SELECT count(*)::int AS n FROM candles WHERE symbol = $1 AND interval = $2`, [
        symbol,
        interval,
      ])) as { n: number }[]
    )[0].n;

  it('picks the universe at startup: top USDT pairs, no stablecoins, leveraged tokens or halted pairs', async () => {
    const response = await request(url).get('/api/market/symbols').expect(200);
    const body = response.body as {
      symbol: string;
      rank: number;
      quoteVolume: number;
      tickSize: number;
      freshness: Record<string, { storedCandles: number }>;
    }[];
    expect(body).toHaveLength(3);
    expect(body.map((item) => item.rank)).toEqual([1, 2, 3]);
    for (const item of body) {
      expect(REAL).toContain(item.symbol);
      expect(item.tickSize).toBeGreaterThan(0);
      expect(Object.entries(item.freshness).map(([interval, f]) => [interval, f.storedCandles])).toEqual([
        ['5m', 0],
        ['1h', 0],
      ]);
    }
    expect(body[0].quoteVolume).toBeGreaterThanOrEqual(body[1].quoteVolume);
  });

  it('cold scan stores up to 1000 closed candles per series, steady scans only what is new; the open candle is returned, never stored', async () => {
    const scans = running.app.get(ScanBatchService);
    const symbols = await running.app.get(UniverseService).symbols();
    const cold = await scans.scanNow('test');
    expect(cold.results).toHaveLength(6);
    for (const result of cold.results) {
      expect(result.error).toBeUndefined();
      expect(result.openCandle?.openTime).toBe(Date.parse('2024-08-05T10:00:00Z'));
      expect(result.newClosed.at(-1)?.closeTime).toBeLessThan(now);
      expect(await stored(result.symbol, result.interval)).toBe(result.newClosed.length);
    }
    expect(cold.results.find((r) => r.interval === '5m')?.newClosed).toHaveLength(999);

    const klinesBefore = sim.stats.snapshot().byPath['/api/v3/klines'];
    const timeBefore = sim.stats.snapshot().byPath['/api/v3/time'] ?? 0;
    advance(FIVE_MIN);
    const steady = await scans.scanNow('test');
    const timeCalls = (sim.stats.snapshot().byPath['/api/v3/time'] ?? 0) - timeBefore;
    expect(timeCalls).toBeGreaterThanOrEqual(1);
    expect(sim.stats.snapshot().byPath['/api/v3/klines'] - klinesBefore).toBe(6);
    for (const result of steady.results) {
      expect(result.error).toBeUndefined();
      expect(result.newClosed.map((c) => c.openTime)).toEqual(
        result.interval === '5m' ? [Date.parse('2024-08-05T10:00:00Z')] : [],
      );
    }
    expect(await stored(symbols[0])).toBe(1000);
    const run = (await db.query(
      `SELECT status, series, series_failed, candles_fetched, weight_used FROM scan_runs WHERE id = $1`,
      [steady.runId],
    )) as Record<string, number | string>[];
    // 6 klines × 2, and 1 per measurement of the exchange clock (GET /api/v3/time, at the start of the
    // sync); a request retried on a reset kept-alive socket is charged again (at most 2 more).
    expect(run[0]).toMatchObject({ status: 'ok', series: 6, series_failed: 0, candles_fetched: 3 });
    expect(Number(run[0].weight_used) - timeCalls).toBeGreaterThanOrEqual(12);
    expect(Number(run[0].weight_used) - timeCalls).toBeLessThanOrEqual(14);

    // A restart does not refetch what is stored: a fresh sync asks only from the next open time.
    advance(FIVE_MIN);
    const again = await running.app.get(CandleSyncService).sync([symbols[0]], ['5m']);
    expect(again[0].newClosed).toHaveLength(1);
  });

  it('serves stored closed candles, with 400 naming the bad field and 404 for a symbol without data', async () => {
    const response = await request(url)
      .get('/api/market/candles?symbol=BTCUSDT&interval=5m&limit=10')
      .expect(200);
    expect(response.body.candles).toHaveLength(10);
    expect(Date.parse(response.body.candles[9].closeTime)).toBeLessThan(now);
    expect(response.body.candles[9]).toEqual(
      expect.objectContaining({ open: expect.any(Number), quoteVolume: expect.any(Number) }),
    );
    // Every indicator series is aligned with the candles and, computed over earlier stored candles, warm
    // from the first one shown (EMA200 included).
    for (const key of [
      'rsi',
      'macd',
      'macdSignal',
      'ema9',
      'ema200',
      'atr',
      'adx',
      'plusDi',
      'bbUpper',
      'haClose',
    ]) {
      expect(response.body.indicators[key]).toHaveLength(10);
      expect(response.body.indicators[key].every((value: number | null) => typeof value === 'number')).toBe(
        true,
      );
    }
    const bad = async (query: string, field: RegExp) => {
      const res = await request(url).get(`/api/market/candles?${query}`).expect(400);
      expect(JSON.stringify(res.body.message)).toMatch(field);
    };
    await bad('symbol=BTCUSDT&interval=7m', /interval must be one of/);
    await bad('symbol=BTCUSDT&interval=5m&limit=0', /limit must be an integer from 1 to 1000/);
    await bad('symbol=BTCUSDT&interval=5m&limit=abc', /limit must be an integer/);
    await bad('symbol=btc-usdt&interval=5m', /symbol must be an upper-case Binance symbol/);
    await bad('interval=5m', /symbol/);
    const missing = await request(url).get('/api/market/candles?symbol=NOPEUSDT&interval=5m').expect(404);
    expect(missing.body.message).toBe('no stored 5m candles for NOPEUSDT');
  });

  it('charges weights before requests and takes the exchange header when it is higher', async () => {
    const budget = running.app.get(RequestWeightBudget);
    const before = (await budget.status()).usedThisMinute;
    await running.app.get(BinanceClient).klines('BTCUSDT', '5m', { limit: 1 });
    expect((await budget.status()).usedThisMinute).toBeGreaterThanOrEqual(before + 2);
    sim.limiter.admit('127.0.0.1', 3000);
    await running.app.get(BinanceClient).ping();
    expect((await budget.status()).usedThisMinute).toBeGreaterThanOrEqual(3000);
    const ready = await request(url).get('/api/health/ready').expect(200);
    expect(ready.body.details.exchange).toMatchObject({ status: 'up', reachable: true, pausedUntil: null });
  });

  it.each(['non-numeric', 'high-below-low', 'negative-volume', 'missing-field'] as const)(
    'a %s row fails its series with a clear error and nothing of it is stored; the next scan catches up',
    async (kind) => {
      const sync = running.app.get(CandleSyncService);
      await sync.sync(['BTCUSDT', 'ETHUSDT'], ['5m']);
      advance(FIVE_MIN);
      const [btcBefore, ethBefore] = [await stored('BTCUSDT'), await stored('ETHUSDT')];
      sim.faults.set({ badRows: [{ symbol: 'BTCUSDT', interval: '5m', kind }] });
      const results = await sync.sync(['BTCUSDT', 'ETHUSDT'], ['5m']);
      expect(results[0].error).toMatch(
        new RegExp(
          `^BTCUSDT 5m: invalid kline at ${new Date(now - (now % FIVE_MIN) - FIVE_MIN).toISOString()}: .* \\(row \\d+\\)$`,
        ),
      );
      expect(results[0].newClosed).toEqual([]);
      expect(results[1].error).toBeUndefined();
      expect(await stored('BTCUSDT')).toBe(btcBefore);
      expect(await stored('ETHUSDT')).toBe(ethBefore + 1);
      sim.faults.reset();
      const healed = await sync.sync(['BTCUSDT'], ['5m']);
      expect(healed[0].newClosed).toHaveLength(1);
      expect(await stored('BTCUSDT')).toBe(btcBefore + 1);
    },
  );

  it('a candle the exchange lacks, confirmed by a request bounded by endTime, is a hole: recorded once, the series goes on after it, shown on /api/market/symbols', async () => {
    const sync = running.app.get(CandleSyncService);
    await sync.sync(['BTCUSDT'], ['5m']);
    advance(2 * FIVE_MIN);
    const before = await stored('BTCUSDT');
    const missing = now - (now % FIVE_MIN) - 2 * FIVE_MIN;
    sim.faults.set({ gaps: [{ symbol: 'BTCUSDT', interval: '5m', openTime: missing }] });
    const [result] = await sync.sync(['BTCUSDT'], ['5m']);
    expect(result.error).toBeUndefined();
    expect(result.gaps).toEqual([
      { symbol: 'BTCUSDT', interval: '5m', from: missing, to: missing + FIVE_MIN },
    ]);
    expect(result.newClosed.map((candle) => candle.openTime)).toEqual([missing + FIVE_MIN]);
    expect(await stored('BTCUSDT')).toBe(before + 1);
    advance(FIVE_MIN);
    await sync.sync(['BTCUSDT'], ['5m']);
    sim.faults.reset();
    const rows = (await db.query(
      `SELECT from_open_time, to_open_time FROM candle_gaps WHERE symbol = 'BTCUSDT'`,
    )) as unknown[];
    expect(rows).toHaveLength(1);
    const symbols = (await request(url).get('/api/market/symbols').expect(200)).body as {
      symbol: string;
      gaps: unknown[];
      freshness: Record<string, { stale: boolean }>;
    }[];
    const btc = symbols.find((item) => item.symbol === 'BTCUSDT');
    expect(btc?.gaps).toEqual([
      {
        interval: '5m',
        from: new Date(missing).toISOString(),
        to: new Date(missing + FIVE_MIN).toISOString(),
        missingCandles: 1,
        detectedAt: expect.any(String),
      },
    ]);
    expect(btc!.freshness['5m'].stale).toBe(false);
  });

  it('unknown symbols and bad intervals give clear errors and store nothing', async () => {
    const [unknown] = await running.app.get(CandleSyncService).sync(['NOPEUSDT'], ['5m']);
    expect(unknown.error).toBe(
      'klines NOPEUSDT 5m: Binance rejected the request (HTTP 400, code -1121): Invalid symbol.',
    );
    expect(await stored('NOPEUSDT')).toBe(0);
    const error = await running.app
      .get(BinanceClient)
      .klines('BTCUSDT', '7m' as never)
      .catch((e: Error) => e);
    expect(error).toBeInstanceOf(InvalidIntervalError);
    expect((error as Error).message).toMatch(/code -1120\): Invalid interval\./);
  });

  it('after a 429 nothing is sent until Retry-After; readiness is down with pausedUntil; scans are skipped', async () => {
    sim.faults.force429(30_000);
    const requestsBefore = sim.stats.snapshot().totalRequests;
    advance(FIVE_MIN);
    const [first] = await running.app.get(CandleSyncService).sync(['BTCUSDT'], ['5m']);
    expect(first.error).toMatch(/paused after a 429\/418 until/);
    expect(sim.stats.snapshot().totalRequests).toBe(requestsBefore + 1);
    const ready = await request(url).get('/api/health/ready').expect(503);
    expect(ready.body.details.exchange.status).toBe('down');
    expect(Date.parse(ready.body.details.exchange.pausedUntil)).toBeGreaterThan(Date.now() + 20_000);
    const tick = new Date(now).toISOString();
    await running.app
      .get(JobQueue)
      .enqueue('scan-market', { tick, trigger: 'test' }, { jobId: `scan-market:${tick}` });
    const status = await eventually(async () => {
      const rows = (await db.query(`SELECT status FROM scan_runs WHERE tick = $1`, [tick])) as {
        status: string;
      }[];
      return rows[0]?.status;
    });
    expect(status).toBe('skipped');
    await running.app.get(CandleSyncService).sync(['ETHUSDT', 'SOLUSDT'], ['5m', '1h']);
    const snapshot = sim.stats.snapshot();
    expect(snapshot.totalRequests).toBe(requestsBefore + 1);
    expect(snapshot.rejected418).toBe(0);
  });
});
