import type { ReconcileRun, ReconcileStatus } from '@scanner/contracts';
import { ExchangeSim, startExchangeSim } from '@scanner/exchange-sim';
import request from 'supertest';
import { UniverseService } from '../src/market-data/universe.service';
import { appForSuite } from './support/app-suite';
import { eventually } from './support/test-env';
import { scanTick } from './support/virtual-scan';

const FIVE_MIN = 300_000;
const START = Date.parse('2024-08-04T00:02:00Z');
const KEY = 'reconcile-admin-key';
/** Virtual minutes between scans (two hours in all): regular ticks, empty scans and catch-ups. */
const STEPS = [1, 4, 5, 5, 10, 3, 2, 5, 15, 5, 5, 5, 5, 20, 5, 5, 5, 5, 5, 5];

describe('reconciliation: stored candles replayed through the engine agree with the stored signals', () => {
  let sim: ExchangeSim;

  beforeAll(async () => {
    sim = await startExchangeSim({
      intervals: ['5m'],
      clock: { startTime: START, paused: true },
      weightClock: 'virtual',
      log: false,
    });
  });

  const app = appForSuite(() => ({
    BINANCE_REST_URL: sim.url,
    SCAN_TOP_N: '12',
    SCAN_TIMEFRAMES: '5m',
    SCAN_CRON: '0 0 0 1 1 *',
    ADMIN_API_KEY: KEY,
  }));

  afterAll(async () => {
    await sim?.close();
  });

  async function scanAt(virtualNow: number): Promise<string> {
    return scanTick(app, virtualNow);
  }

  /** Starts a run through the admin API and waits for its result. */
  async function reconcile(): Promise<ReconcileRun> {
    const before = await lastRun();
    const started = await request(app.url).post('/api/admin/reconcile').set('X-API-Key', KEY).expect(202);
    expect(started.body).toMatchObject({ enqueued: true });
    return eventually(
      async () => {
        const last = await lastRun();
        return last !== null && last.id !== before?.id && last.status !== 'running' && last;
      },
      120_000,
      'the reconciliation',
    );
  }

  async function lastRun(): Promise<ReconcileRun | null> {
    const response = await request(app.url).get('/api/admin/reconcile').set('X-API-Key', KEY).expect(200);
    return (response.body as ReconcileStatus).last;
  }

  it('is admin-only', async () => {
    await request(app.url).get('/api/admin/reconcile').expect(401);
    await request(app.url).post('/api/admin/reconcile').expect(401);
  });

  it('reports 0 mismatches after a virtual two-hour run, then exactly the series and candle of a corrupted candle', async () => {
    const universe = app.running.app.get(UniverseService);
    await eventually(async () => !(await universe.isEmpty()), 20_000, 'the startup universe');
    expect(await lastRun()).toBeNull();

    let now = START;
    const statuses = [await scanAt(now)];
    for (const minutes of STEPS) {
      now += minutes * 60_000;
      sim.clock.set(now);
      statuses.push(await scanAt(now));
    }
    expect(now - START).toBe(2 * 3_600_000);
    expect(statuses.every((status) => status === 'ok')).toBe(true);

    const [{ count: storedSignals }] = (await app.db.query(`SELECT count(*)::int AS count FROM signals`)) as {
      count: number;
    }[];
    expect(storedSignals).toBeGreaterThan(0);

    const clean = await reconcile();
    expect(clean).toMatchObject({
      trigger: 'admin',
      status: 'ok',
      series: 12,
      mismatchCount: 0,
      mismatchedSeries: [],
      mismatches: [],
      skipped: [],
      error: null,
    });
    // Every stored signal is accounted for: compared in full, or on its levels when a tick closed it
    // on the still-open candle after the last replayed one.
    expect(clean.signalsCompared + clean.signalsLevelsOnly).toBe(storedSignals);
    expect(clean.signalsCompared).toBeGreaterThan(0);
    expect(clean.candles).toBeGreaterThanOrEqual(12 * 1000);
    const metrics = await request(app.url).get('/metrics').expect(200);
    expect(metrics.text).toMatch(/^signals_reconcile_mismatches 0$/m);

    // Corrupt the candle that triggered a stored signal: its close (the entry) moves by 1%.
    const [victim] = (await app.db.query(
      `SELECT id, symbol, timeframe, candle_open_time FROM signals ORDER BY candle_open_time DESC, id LIMIT 1`,
    )) as { id: string; symbol: string; timeframe: string; candle_open_time: Date }[];
    const openTime = new Date(victim.candle_open_time).getTime();
    expect(openTime % FIVE_MIN).toBe(0);
    const updated = (await app.db.query(
      `UPDATE candles SET close = close * 1.01, high = greatest(high, close * 1.01)
        WHERE symbol = $1 AND interval = $2 AND open_time = $3`,
      [victim.symbol, victim.timeframe, openTime],
    )) as [unknown[], number];
    expect(updated[1]).toBe(1);

    const corrupted = await reconcile();
    expect(corrupted.status).toBe('mismatches');
    expect(corrupted.mismatchedSeries).toEqual([
      {
        symbol: victim.symbol,
        timeframe: victim.timeframe,
        firstDifferingCandle: new Date(openTime).toISOString(),
        mismatches: corrupted.mismatchCount,
      },
    ]);
    expect(corrupted.mismatchCount).toBeGreaterThan(0);
    expect(new Set(corrupted.mismatches.map((m) => `${m.symbol}|${m.timeframe}`))).toEqual(
      new Set([`${victim.symbol}|${victim.timeframe}`]),
    );
    expect(corrupted.mismatches[0]).toMatchObject({
      signalId: expect.stringContaining(`-${openTime}-`),
      candleOpenTime: new Date(openTime).toISOString(),
    });
    const after = await request(app.url).get('/metrics').expect(200);
    expect(after.text).toMatch(new RegExp(`^signals_reconcile_mismatches ${corrupted.mismatchCount}$`, 'm'));

    // A series whose stored candles no longer reach back to where its engine started, and one whose engine
    // state is gone, cannot be replayed as the live engine ran them: skipped with the reason, not mismatched.
    const [short, stateless] = (
      (await app.db.query(`SELECT DISTINCT symbol FROM signals WHERE symbol <> $1 ORDER BY symbol LIMIT 2`, [
        victim.symbol,
      ])) as { symbol: string }[]
    ).map((row) => row.symbol);
    await app.db.query(
      `DELETE FROM candles WHERE symbol = $1 AND interval = '5m'
          AND open_time = (SELECT min(open_time) FROM candles WHERE symbol = $1 AND interval = '5m')`,
      [short],
    );
    await app.db.query(`DELETE FROM engine_states WHERE symbol = $1`, [stateless]);
    const partial = await reconcile();
    expect(partial.series).toBe(10);
    expect(partial.skipped).toEqual([
      {
        symbol: short,
        timeframe: '5m',
        reason: expect.stringMatching(/^its engine processed (\d+) candles up to .*, but \d+ are stored/),
      },
      { symbol: stateless, timeframe: '5m', reason: expect.stringMatching(/but no stored engine state/) },
    ]);
    expect(partial.mismatchedSeries.map((series) => series.symbol)).toEqual([victim.symbol]);
  });
});
