import { ExchangeSim, startExchangeSim } from '@scanner/exchange-sim';
import { UniverseService } from '../src/market-data/universe.service';
import { appForSuite } from './support/app-suite';
import { eventually } from './support/test-env';
import { scanTick } from './support/virtual-scan';

const FIVE_MIN = 300_000;
const START = Date.parse('2024-08-04T00:02:00Z');
/** Virtual minutes between scans: regular ticks, scans that find nothing new, and catch-ups of several candles. */
const STEPS = [1, 4, 5, 5, 10, 3, 2, 5, 15, 5, 5, 5, 5, 20, 5, 5, 5, 5, 5, 5];

describe('market data: a two-hour virtual run of 50 symbols against the simulator', () => {
  let sim: ExchangeSim;

  beforeAll(async () => {
    // Weight minutes follow the virtual clock, so "per minute" means per minute of the replayed market.
    sim = await startExchangeSim({
      intervals: ['5m'],
      syntheticSymbols: 16,
      clock: { startTime: START, paused: true },
      weightClock: 'virtual',
      log: false,
    });
  });

  const app = appForSuite(() => ({
    BINANCE_REST_URL: sim.url,
    SCAN_TOP_N: '50',
    SCAN_TIMEFRAMES: '5m',
    SCAN_CRON: '0 0 0 1 1 *',
  }));

  // Declared after appForSuite, so it runs after the app is closed.
  afterAll(async () => {
    await sim?.close();
  });

  const scanAt = (virtualNow: number): Promise<string> => scanTick(app, virtualNow);

  it('stores every closed candle of every symbol exactly once, without gaps or weight rejections', async () => {
    const { running, db } = app;
    const universe = running.app.get(UniverseService);
    await eventually(async () => !(await universe.isEmpty()), 20_000, 'the startup universe');
    const symbols = await universe.symbols();
    expect(symbols).toHaveLength(50);

    let now = START;
    const statuses = [await scanAt(now)];
    for (const minutes of STEPS) {
      now += minutes * 60_000;
      sim.clock.set(now);
      statuses.push(await scanAt(now));
    }
    expect(now - START).toBe(2 * 3_600_000);
    expect(statuses.every((status) => status === 'ok')).toBe(true);

    const stats = sim.stats.snapshot();
    expect(stats.rejected).toBe(0);
    expect(stats.maxWeightInAMinute).toBeLessThan(6000 * 0.25);
    // Steady state: one klines call (weight 2) per symbol per scan, plus the universe (100) once.
    expect(stats.byPath['/api/v3/klines']).toBe(50 * statuses.length);

    const lastClosedOpen = Math.floor(now / FIVE_MIN) * FIVE_MIN - FIVE_MIN;
    const firstColdOpen = Math.floor(START / FIVE_MIN) * FIVE_MIN - 999 * FIVE_MIN;
    const series = (await db.query(
      `SELECT symbol, count(*)::int AS count, count(DISTINCT open_time)::int AS distinct_count, min(open_time) AS first, max(open_time) AS last
         FROM candles WHERE interval = '5m' GROUP BY symbol ORDER BY symbol`,
    )) as { symbol: string; count: number; distinct_count: number; first: string; last: string }[];
    expect(series.map((row) => row.symbol).sort()).toEqual([...symbols].sort());
    const expectedCount = (lastClosedOpen - firstColdOpen) / FIVE_MIN + 1;
    for (const row of series) {
      expect({
        symbol: row.symbol,
        first: Number(row.first),
        last: Number(row.last),
        count: row.count,
        distinct: row.distinct_count,
      }).toEqual({
        symbol: row.symbol,
        first: firstColdOpen,
        last: lastClosedOpen,
        count: expectedCount,
        distinct: expectedCount,
      });
    }

    // What is stored is the closed candle as the exchange serves it afterwards, never a partial one.
    for (const symbol of symbols.slice(0, 5)) {
      const served = (await (
        await fetch(
          `${sim.url}/api/v3/klines?symbol=${symbol}&interval=5m&startTime=${START - FIVE_MIN * 2}&limit=40`,
        )
      ).json()) as unknown[][];
      const stored = (await db.query(
        `SELECT open_time, open, high, low, close, volume FROM candles WHERE symbol = $1 AND interval = '5m' AND open_time >= $2 ORDER BY open_time`,
        [symbol, START - FIVE_MIN * 2],
      )) as { open_time: string; open: number; high: number; low: number; close: number; volume: number }[];
      expect(stored).toHaveLength(25);
      expect(
        stored.map((row) => [Number(row.open_time), row.open, row.high, row.low, row.close, row.volume]),
      ).toEqual(
        served
          .filter((row) => (row[0] as number) <= lastClosedOpen)
          .map((row) => [
            row[0],
            Number(row[1]),
            Number(row[2]),
            Number(row[3]),
            Number(row[4]),
            Number(row[5]),
          ]),
      );
    }
  });
});
