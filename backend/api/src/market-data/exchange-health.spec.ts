import { AppConfig } from '../config';
import { ExchangeClock } from './exchange-clock';
import { ExchangeHaltMonitor } from './exchange-halt';
import { ExchangeHealth } from './exchange-health';
import { ExchangeReachability } from './exchange-reachability';
import { MemoryReachabilityStore } from './memory-reachability-store';
import { MemoryWeightBudgetStore } from './memory-weight-budget-store';
import { RequestWeightBudget } from './request-weight-budget';
import { FailingSeries, SeriesStatusRegistry } from './series-status-registry';

const T0 = Date.UTC(2024, 7, 5, 12, 0, 0);

const noClock = { shared: async () => null } as unknown as ExchangeClock;
const noHalt = { current: async () => null } as unknown as ExchangeHaltMonitor;

function setup(
  failing: FailingSeries = { count: 0, latest: null },
  clock: ExchangeClock = noClock,
  halts: ExchangeHaltMonitor = noHalt,
) {
  const config = Object.assign(new AppConfig(), {
    binanceUnreachableAfterMs: 60_000,
    scanTimeframes: ['5m', '1h'],
  });
  const time = { now: T0 };
  const budget = new RequestWeightBudget(new MemoryWeightBudgetStore(), {
    limit: 6000,
    now: () => time.now,
  });
  const reachability = new ExchangeReachability(new MemoryReachabilityStore());
  const askedIntervals: string[][] = [];
  const series = {
    failing: async (intervals: string[]) => {
      askedIntervals.push(intervals);
      return failing;
    },
  } as unknown as SeriesStatusRegistry;
  return {
    health: new ExchangeHealth(config, budget, reachability, series, clock, halts),
    budget,
    reachability,
    clock: time,
    askedIntervals,
  };
}

describe('ExchangeHealth', () => {
  it('stays up through failures shorter than BINANCE_UNREACHABLE_AFTER_MS, then is down naming when they began', async () => {
    const { health, reachability } = setup();
    reachability.recordSuccess(T0);
    reachability.recordFailure(T0 + 1_000, 'klines BTCUSDT 5m: ECONNREFUSED');
    expect(await health.report(T0 + 60_999)).toMatchObject({
      up: true,
      details: { reachable: false, lastError: 'klines BTCUSDT 5m: ECONNREFUSED' },
    });
    expect(await health.report(T0 + 61_000)).toEqual({
      up: false,
      details: expect.objectContaining({
        reachable: false,
        lastSuccessAt: new Date(T0).toISOString(),
        message: `every Binance request has failed since ${new Date(T0 + 1_000).toISOString()}`,
      }),
    });
    reachability.recordSuccess(T0 + 62_000);
    expect((await health.report(T0 + 62_000)).up).toBe(true);
  });

  it('is down while requests are paused after a 429/418', async () => {
    const { health, budget } = setup();
    await budget.pause(T0 + 30_000, 429, 'klines');
    const report = await health.report(T0);
    expect(report.up).toBe(false);
    expect(report.details).toMatchObject({
      pausedUntil: new Date(T0 + 30_000).toISOString(),
      rejections: { http429: 1, http418: 0 },
    });
  });

  it('reports the failing series of the scanned intervals without going down for them', async () => {
    const latest = {
      symbol: 'BTCUSDT',
      interval: '5m',
      syncedAt: T0,
      openCandleTime: null,
      error: 'klines BTCUSDT 5m: gap in candles',
    };
    const { health, askedIntervals } = setup({ count: 3, latest });
    expect(await health.report(T0)).toMatchObject({
      up: true,
      details: { seriesFailing: 3, firstSeriesError: 'klines BTCUSDT 5m: gap in candles' },
    });
    expect(askedIntervals).toEqual([['5m', '1h']]);
  });

  it('names a whole-exchange halt while it lasts, without going down: the exchange answers, the market does not trade', async () => {
    const halt = { since: Date.UTC(2024, 7, 4, 4, 0), detectedAt: T0, statuses: ['BREAK'] };
    const { health } = setup(undefined, noClock, {
      current: async () => halt,
    } as unknown as ExchangeHaltMonitor);
    const report = await health.report(T0);
    expect(report.up).toBe(true);
    expect(report.details.halt).toEqual({
      since: '2024-08-04T04:00:00.000Z',
      detectedAt: new Date(T0).toISOString(),
      statuses: ['BREAK'],
      message:
        'exchange halted since 2024-08-04T04:00:00.000Z: no scanned series has a new candle and exchangeInfo lists no symbol as TRADING (BREAK)',
    });
    expect(report.details.message).toBe((report.details.halt as { message: string }).message);
  });

  it('shows the host/exchange clock offset only when it is over 1 s', async () => {
    const offset = (offsetMs: number) =>
      ({ shared: async () => ({ offsetMs, measuredAt: T0, roundTripMs: 12 }) }) as unknown as ExchangeClock;
    expect((await setup(undefined, offset(-300)).health.report(T0)).details.clock).toBeUndefined();
    expect((await setup(undefined, offset(-1_500)).health.report(T0)).details.clock).toEqual({
      offsetMs: -1_500,
      measuredAt: new Date(T0).toISOString(),
      roundTripMs: 12,
    });
  });
});
