import { SchedulerRegistry } from '@nestjs/schedule';
import { ExchangeSim, startExchangeSim } from '@scanner/exchange-sim';
import { UniverseService } from '../src/market-data/universe.service';
import { EngineConfigService } from '../src/signal-engine/engine-config.service';
import { SignalEntity } from '../src/signal-engine/entities/signal.entity';
import { OverdueSignalsService } from '../src/signal-engine/overdue-signals.service';
import { appForSuite } from './support/app-suite';
import { eventually } from './support/test-env';
import { scanTick } from './support/virtual-scan';

const SYMBOLS = ['BTCUSDT', 'DOGEUSDT', 'ETHUSDT', 'SOLUSDT', 'XRPUSDT'];
const FIVE_MIN = 300_000;
const START = Date.parse('2024-08-04T00:02:00Z');

/**
 * Issue 15 §3, the overdue sweep on market time: against a replaying exchange (2024 on a 2026 host) a
 * series that stopped being scanned is "overdue" by the market's clock (the newest candle the other
 * engines processed), not the host's: the sweep catches it up and the engine closes its signal by
 * candle, at market time; series that keep up are left alone.
 */
describe('the overdue sweep judged on market time', () => {
  let sim: ExchangeSim;

  beforeAll(async () => {
    sim = await startExchangeSim({
      symbols: SYMBOLS,
      intervals: ['5m'],
      clock: { startTime: START, paused: true },
      weightClock: 'virtual',
      log: false,
    });
  });

  const app = appForSuite(() => ({
    BINANCE_REST_URL: sim.url,
    MARKET_DATA_SOURCE: 'poll',
    SCAN_SYMBOLS_ALLOW: SYMBOLS.join(','),
    SCAN_TOP_N: String(SYMBOLS.length),
    SCAN_TIMEFRAMES: '5m',
    SCAN_CRON: '0 0 0 1 1 *',
  }));

  // The wall-clock crons (universe refresh, sweep) off: only the driven scans and sweeps run.
  beforeAll(() => {
    for (const job of app.running.app.get(SchedulerRegistry).getCronJobs().values()) void job.stop();
  });

  afterAll(async () => {
    await sim?.close();
  });

  let now = START;
  async function scanAt(virtualNow: number): Promise<string> {
    now = virtualNow;
    sim.clock.set(virtualNow);
    return scanTick(app, virtualNow);
  }

  const lastProcessed = async (symbol: string) =>
    Number(
      (
        (await app.db.query(`SELECT last_candle_open_time FROM engine_states WHERE symbol = $1`, [
          symbol,
        ])) as { last_candle_open_time: string }[]
      )[0].last_candle_open_time,
    );

  it('catches up a series that stopped being scanned and closes its signal by candle; leaves the others alone', async () => {
    const universe = app.running.app.get(UniverseService);
    await eventually(async () => !(await universe.isEmpty()), 20_000, 'the startup universe');
    expect(await scanAt(START)).toBe('ok');
    let active: { id: string; symbol: string } | undefined;
    for (let i = 0; i < 200 && active === undefined; i++) {
      [active] = (await app.db.query(
        `SELECT id, symbol FROM signals WHERE status = 'ACTIVE' ORDER BY id LIMIT 1`,
      )) as { id: string; symbol: string }[];
      if (active === undefined) expect(await scanAt(now + FIVE_MIN)).toBe('ok');
    }
    expect(active).toBeDefined();
    const victim = active!.symbol;

    // It drops out of the universe (by volume, say) but stays within the grace: not a departure, just
    // no longer scanned.
    await app.db.query(
      `UPDATE market_symbols SET in_universe = false, universe_rank = NULL, left_universe_at = $2 WHERE symbol = $1`,
      [victim, new Date(now)],
    );
    const { expiryCandles } = await app.running.app.get(EngineConfigService).get();
    for (let i = 0; i < expiryCandles + 3; i++) expect(await scanAt(now + FIVE_MIN)).toBe('ok');
    const repository = app.db.getRepository(SignalEntity);
    expect((await repository.findOneByOrFail({ id: active!.id })).status).toBe('ACTIVE');
    const lastClosedOpen = Math.floor(now / FIVE_MIN) * FIVE_MIN - FIVE_MIN;
    const others = SYMBOLS.filter((symbol) => symbol !== victim);
    for (const symbol of others) expect(await lastProcessed(symbol)).toBe(lastClosedOpen);
    expect(await lastProcessed(victim)).toBeLessThan(lastClosedOpen - expiryCandles * FIVE_MIN);

    const sweeps = app.running.app.get(OverdueSignalsService);
    expect(await sweeps.sweep()).toEqual({ overdue: 1, caughtUp: 1, failed: 0, cancelled: 0 });
    const closed = await repository.findOneByOrFail({ id: active!.id });
    expect(['TP_HIT', 'SL_HIT', 'INVALIDATED', 'EXPIRED']).toContain(closed.status);
    // Closed by a candle of the replayed market (2024), within the signal's life.
    const closedAt = closed.closedAt!.getTime();
    expect(closedAt).toBeGreaterThan(closed.createdAt.getTime());
    expect(closedAt).toBeLessThanOrEqual(closed.createdAt.getTime() + expiryCandles * FIVE_MIN);
    expect(closedAt).toBeLessThan(now);
    expect(await lastProcessed(victim)).toBe(lastClosedOpen);

    // Nothing is overdue any more; the series that kept up were never touched.
    expect(await sweeps.sweep()).toEqual({ overdue: 0, caughtUp: 0, failed: 0, cancelled: 0 });
  }, 300_000);
});
