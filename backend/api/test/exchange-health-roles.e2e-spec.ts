import { ExchangeSim, ExchangeSimOptions, startExchangeSim } from '@scanner/exchange-sim';
import type { HealthCheckResult } from '@nestjs/terminus';
import type { MarketSymbol } from '@scanner/contracts';
import { AppProcess, startAppProcess, stop } from './support/app-process';
import { describeWithRedis } from './support/redis-suite';
import { createTestEnvironment, eventually, TestEnvironment } from './support/test-env';

const SYMBOLS = ['BTCUSDT', 'ETHUSDT'];
/** Readiness calls the exchange unreachable after 2 s of failures (300 s in production). */
const UNREACHABLE_AFTER_MS = 2_000;
/** A scan every 3 s: readiness wants one to have succeeded within 3 periods (9 s). */
const SCAN_CRON = '*/3 * * * * *';
/** A scan period, the retries of a failing request, the unreachable threshold and slack for a busy machine. */
const OUTAGE_SEEN_WITHIN_MS = 30_000;

interface Answer<T> {
  status: number;
  body: T;
}

async function get<T>(app: AppProcess, route: string): Promise<Answer<T>> {
  const response = await fetch(`${app.url}/api${route}`);
  return { status: response.status, body: (await response.json()) as T };
}

const ready = (app: AppProcess) => get<HealthCheckResult>(app, '/health/ready');
const symbols = async (app: AppProcess) => (await get<MarketSymbol[]>(app, '/market/symbols')).body;

/**
 * Issue 16 item 5: an `api` process makes no Binance call, yet its readiness and /api/market/symbols
 * report what the `worker` process meets at the exchange (reachability in Redis, series status in
 * Postgres). Both are child processes; the simulator, in this process, is stopped and started again.
 */
describeWithRedis('exchange trouble seen by an api process while a worker process meets it', () => {
  let environment: TestEnvironment;
  let sim: ExchangeSim;
  let api: AppProcess;
  let worker: AppProcess;
  const simOptions: ExchangeSimOptions = {
    symbols: SYMBOLS,
    intervals: ['5m'],
    // A still clock: every scan after the first finds the same open candle, so scans stay cheap.
    clock: { startTime: Date.parse('2024-08-05T10:02:30Z'), paused: true },
    log: false,
  };

  beforeAll(async () => {
    environment = await createTestEnvironment();
    sim = await startExchangeSim(simOptions);
    const env = {
      ...environment.env,
      BINANCE_REST_URL: sim.url,
      BINANCE_UNREACHABLE_AFTER_MS: String(UNREACHABLE_AFTER_MS),
      SCAN_SYMBOLS_ALLOW: SYMBOLS.join(','),
      SCAN_TOP_N: String(SYMBOLS.length),
      SCAN_TIMEFRAMES: '5m',
      SCAN_CRON,
      API_RATE_LIMIT: '1000000',
    };
    // One after the other: the api process runs the migrations the worker then finds applied.
    api = await startAppProcess({ ...env, APP_ROLE: 'api' });
    worker = await startAppProcess({ ...env, APP_ROLE: 'worker' });
  }, 300_000);

  afterAll(async () => {
    await Promise.all([api && stop(api), worker && stop(worker)]);
    await sim?.close();
    await environment?.cleanup();
  });

  it('is ready while the worker reaches the exchange, with every series synced', async () => {
    const answer = await eventually(
      async () => {
        const health = await ready(api);
        return health.status === 200 && health.body.details.exchange?.reachable === true && health;
      },
      90_000,
      'the api process to be ready with the exchange reachable',
    );
    expect(answer.body.details.exchange).toMatchObject({ status: 'up', lastError: null, seriesFailing: 0 });
    const synced = await eventually(
      async () => {
        const list = await symbols(api);
        return (
          list.length === SYMBOLS.length &&
          list.every((symbol) => symbol.freshness['5m'].lastSyncAt !== null) &&
          list
        );
      },
      30_000,
      'every series to be synced',
    );
    for (const symbol of synced)
      expect(symbol.freshness['5m']).toMatchObject({ lastSyncError: null, stale: false });
    expect(worker.child.exitCode).toBeNull();
  }, 300_000);

  it('turns 503 naming the exchange unreachable, with the error, once the exchange stops answering the worker', async () => {
    await sim.close();
    const answer = await eventually(
      async () => {
        const health = await ready(api);
        // The error of a request cut off by the close (a reset) is replaced within seconds by the refusals.
        const refused = String(health.body.error?.exchange?.lastError).includes('ECONNREFUSED');
        return health.status === 503 && health.body.error?.exchange?.status === 'down' && refused && health;
      },
      OUTAGE_SEEN_WITHIN_MS,
      'the api process to report the exchange down, refusing connections',
    );
    expect(answer.body.error?.exchange).toMatchObject({
      reachable: false,
      message: expect.stringMatching(/^every Binance request has failed since \d{4}-/),
      lastError: expect.stringMatching(/^[a-zA-Z/ 0-9]+: ECONNREFUSED/),
    });
    const failing = await eventually(
      async () => {
        const list = await symbols(api);
        return list.every((symbol) => symbol.freshness['5m'].lastSyncError !== null) && list;
      },
      OUTAGE_SEEN_WITHIN_MS,
      'every series to show its failed sync',
    );
    for (const symbol of failing) {
      expect(symbol.freshness['5m']).toMatchObject({
        stale: true,
        lastSyncError: expect.stringMatching(
          new RegExp(`^klines ${symbol.symbol} 5m: exchange unavailable .*ECONNREFUSED`),
        ),
      });
    }
    const details = (await ready(api)).body.details.exchange;
    expect(details).toMatchObject({
      seriesFailing: SYMBOLS.length,
      firstSeriesError: expect.stringContaining('ECONNREFUSED'),
    });
  }, 300_000);

  it('is ready again, the series synced without error, once the exchange is back', async () => {
    // On the same port: the apps keep the URL they were started with.
    sim = await startExchangeSim({ ...simOptions, port: sim.port });
    const answer = await eventually(
      async () => {
        const health = await ready(api);
        return health.status === 200 && health;
      },
      60_000,
      'the api process to be ready again',
    );
    expect(answer.body.details.exchange).toMatchObject({ status: 'up', reachable: true });
    await eventually(
      async () => (await symbols(api)).every((symbol) => symbol.freshness['5m'].lastSyncError === null),
      30_000,
      'every series to sync without error',
    );
  }, 300_000);
});
