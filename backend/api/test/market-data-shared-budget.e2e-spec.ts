import { ExchangeSim, startExchangeSim } from '@scanner/exchange-sim';
import request from 'supertest';
import { RunningApp, startApp } from '../src/bootstrap';
import { BinanceClient } from '../src/market-data/binance-client';
import { CandleSyncService } from '../src/market-data/candle-sync.service';
import { ExchangePausedError } from '../src/market-data/market-data.errors';
import { RequestWeightBudget } from '../src/market-data/request-weight-budget';
import { UniverseService } from '../src/market-data/universe.service';
import { describeWithRedis } from './support/redis-suite';
import { createTestEnvironment, eventually, TestEnvironment } from './support/test-env';

describeWithRedis('market data: two processes share one request-weight budget in Redis', () => {
  let sim: ExchangeSim;
  let environment: TestEnvironment;
  let first: RunningApp;
  let second: RunningApp;

  beforeAll(async () => {
    sim = await startExchangeSim({
      symbols: ['BTCUSDT', 'ETHUSDT'],
      intervals: ['5m'],
      clock: { startTime: '2024-08-05T10:02:00Z', paused: true },
      log: false,
    });
    environment = await createTestEnvironment();
    const overrides = { BINANCE_REST_URL: sim.url, SCAN_TOP_N: '2', SCAN_CRON: '0 0 0 1 1 *' };
    first = await startApp(environment.config(overrides), { host: '127.0.0.1' });
    second = await startApp(environment.config(overrides), { host: '127.0.0.1' });
    await eventually(
      async () => !(await first.app.get(UniverseService).isEmpty()),
      20_000,
      'the startup universe',
    );
  });

  afterAll(async () => {
    await first?.close();
    await second?.close();
    await environment?.cleanup();
    await sim?.close();
  });

  it('counts the weight of both processes in one budget', async () => {
    const before = (await second.app.get(RequestWeightBudget).status()).usedThisMinute;
    await first.app.get(BinanceClient).klines('BTCUSDT', '5m', { limit: 5 });
    await first.app.get(BinanceClient).exchangeInfo();
    const shared = await second.app.get(RequestWeightBudget).status();
    expect(shared.store).toBe('redis');
    expect(shared.usedThisMinute).toBeGreaterThanOrEqual(before + 22);
  });

  it('after a 429 in one process, neither sends a request until Retry-After; both report it in readiness', async () => {
    sim.faults.force429(40_000);
    sim.stats.reset();
    const error = await first.app
      .get(BinanceClient)
      .klines('BTCUSDT', '5m')
      .catch((e: Error) => e);
    expect(error).toBeInstanceOf(ExchangePausedError);
    expect(sim.stats.snapshot()).toMatchObject({ totalRequests: 1, rejected429: 1 });

    await expect(second.app.get(BinanceClient).ping()).rejects.toBeInstanceOf(ExchangePausedError);
    const results = await second.app.get(CandleSyncService).sync(['BTCUSDT', 'ETHUSDT'], ['5m']);
    expect(results.every((result) => /paused after a 429\/418/.test(result.error ?? ''))).toBe(true);
    await expect(first.app.get(BinanceClient).ping()).rejects.toBeInstanceOf(ExchangePausedError);
    expect(sim.stats.snapshot()).toMatchObject({ totalRequests: 1, rejected418: 0 });

    for (const app of [first, second]) {
      const ready = await request(app.url as string)
        .get('/api/health/ready')
        .expect(503);
      expect(ready.body.details.exchange).toMatchObject({
        status: 'down',
        rejections: { http429: 1, http418: 0 },
      });
      expect(Date.parse(ready.body.details.exchange.pausedUntil)).toBeGreaterThan(Date.now() + 30_000);
    }
  });
});
