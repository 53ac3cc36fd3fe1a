import { ExchangeSim, startExchangeSim } from '@scanner/exchange-sim';
import { runBacktest } from '@scanner/signal-core';
import { DataSource } from 'typeorm';
import { RunningApp, startApp } from '../src/bootstrap';
import { EngineConfigService } from '../src/signal-engine/engine-config.service';
import { kill9, startAppProcess, stop, type AppProcess } from './support/app-process';
import { storedFiveMinuteCandles } from './support/outcome-rederivation';
import { describeWithRedis } from './support/redis-suite';
import { createTestEnvironment, eventually, type TestEnvironment } from './support/test-env';

const SYMBOLS = ['BTCUSDT', 'DOGEUSDT', 'ETHUSDT', 'SOLUSDT'];
const FIVE_MIN = 300_000;
const START = Date.parse('2024-08-05T00:02:00Z');
/**
 * A dead holder's lease is taken over within this long (default 30 s): it lapses at least 3.6 s after
 * the kill (TTL 4.8 s, renewed every 1.2 s), and the standby tries every 1.2 s.
 */
const TAKEOVER_MS = 6_000;
/** The market runs at 120× once warm: a 5m candle closes every 2.5 s, so closes happen while nobody streams. */
const SPEED = 120;
const HOLDING = 'holding the Binance streams';

const lastClosedOpen = (now: number) => Math.floor(now / FIVE_MIN) * FIVE_MIN - FIVE_MIN;

/**
 * Issue 13 acceptance: a killed stream holder is replaced within 30 s (two worker processes, one Redis,
 * one Postgres) and no candle close is lost or evaluated twice. An api process (in the test) picks the
 * universe; two worker processes (children) race for the stream lease; the holder is killed with
 * SIGKILL right after a candle close while the market runs, more candles close while nobody streams,
 * and the other worker takes over, fills the gap from REST and streams on.
 */
describeWithRedis(
  'market streams: a killed stream holder is replaced, no close lost or evaluated twice',
  () => {
    let sim: ExchangeSim;
    let environment: TestEnvironment;
    let api: RunningApp | null = null;
    const workers: AppProcess[] = [];

    beforeAll(async () => {
      sim = await startExchangeSim({
        symbols: SYMBOLS,
        intervals: ['5m'],
        clock: { startTime: START, paused: true },
        log: false,
      });
      environment = await createTestEnvironment();
    });

    afterAll(async () => {
      await Promise.all(workers.map((worker) => stop(worker)));
      await api?.close().catch(() => undefined);
      await environment?.cleanup();
      await sim?.close();
    });

    const overrides = () => ({
      BINANCE_REST_URL: sim.url,
      BINANCE_WS_URL: sim.wsUrl,
      MARKET_DATA_SOURCE: 'stream',
      SCAN_SYMBOLS_ALLOW: SYMBOLS.join(','),
      SCAN_TOP_N: String(SYMBOLS.length),
      SCAN_TIMEFRAMES: '5m',
      // No REST scan: whatever is stored came from the streams or their REST backfill.
      SCAN_CRON: '0 0 0 1 1 *',
      STREAM_TAKEOVER_MS: String(TAKEOVER_MS),
    });
    // The workers log at info: the one holding the streams says so.
    const worker = () => ({ ...environment.env, ...overrides(), APP_ROLE: 'worker', LOG_LEVEL: 'info' });

    const holds = (worker: AppProcess) => worker.output.join('').includes(HOLDING);

    /** Every series through the engine up to (at least) the candle that closed last at `now`. */
    async function caughtUp(db: DataSource, now: number, what: string): Promise<void> {
      const last = lastClosedOpen(now);
      await eventually(
        async () => {
          const rows = (await db.query(
            `SELECT count(*)::int AS n FROM engine_states WHERE timeframe = '5m' AND last_candle_open_time >= $1`,
            [last],
          )) as { n: number }[];
          return rows[0].n === SYMBOLS.length;
        },
        60_000,
        `${what}: every series through the engine up to ${new Date(last).toISOString()}`,
      );
    }

    it('the other worker takes the streams over within 30 s and every close is stored and evaluated exactly once', async () => {
      // One worker first: it runs the migrations the others then find applied.
      workers.push(await startAppProcess(worker()));
      workers.push(await startAppProcess(worker()));
      // The api process picks the universe at startup (a job the workers run).
      api = await startApp(environment.config({ ...overrides(), APP_ROLE: 'api' }), { host: '127.0.0.1' });
      const db = api.app.get(DataSource);

      await caughtUp(db, START, 'the warm-up');
      expect(workers.filter(holds)).toHaveLength(1);
      const holder = workers.find(holds)!;
      const standby = workers.find((worker) => worker !== holder)!;

      // The market runs; a few closes go through the holder.
      sim.clock.setSpeed(SPEED);
      sim.clock.resume();
      const firstClose = lastClosedOpen(START) + FIVE_MIN;
      await eventually(
        async () => sim.clock.now() >= firstClose + 2 * FIVE_MIN,
        60_000,
        'two closes on the virtual clock',
      );
      await caughtUp(db, sim.clock.now() - FIVE_MIN, 'closes streamed by the first holder');

      // Killed right after a close: its step may be stored, evaluated, both or neither.
      const nextClose = lastClosedOpen(sim.clock.now()) + 2 * FIVE_MIN;
      await eventually(async () => sim.clock.now() >= nextClose, 30_000, 'the next close');
      await kill9(holder);
      const killedAt = sim.clock.now();
      expect(holds(standby)).toBe(false);

      // The standby takes the lease once it lapses, within the 30 s.
      await eventually(async () => holds(standby), 30_000, 'the standby to take the streams over');
      const takenAt = sim.clock.now();
      // Closes happened while nobody streamed: the new holder fills them from REST.
      expect(lastClosedOpen(takenAt)).toBeGreaterThan(lastClosedOpen(killedAt));

      // Two more closes through the new holder, then the market stops and everything settles.
      await eventually(
        async () => sim.clock.now() >= takenAt + 2 * FIVE_MIN,
        60_000,
        'two closes after the takeover',
      );
      sim.clock.pause();
      const end = sim.clock.now();
      await caughtUp(db, end, 'after the takeover');

      // Every closed candle stored once, none missing.
      const candles = await storedFiveMinuteCandles(db);
      const [{ duplicates }] = (await db.query(
        `SELECT count(*)::int AS duplicates FROM (SELECT 1 FROM candles GROUP BY symbol, interval, open_time HAVING count(*) > 1) d`,
      )) as { duplicates: number }[];
      expect(duplicates).toBe(0);
      expect([...candles.keys()].sort()).toEqual(SYMBOLS);
      for (const [symbol, list] of candles) {
        const holes = list.filter((c, i) => i > 0 && c.openTime !== list[i - 1].openTime + FIVE_MIN);
        expect({ symbol, holes: holes.length, last: list.at(-1)?.openTime }).toEqual({
          symbol,
          holes: 0,
          last: lastClosedOpen(end),
        });
      }

      // Every stored candle went through the engine exactly once: the engine counted each, saw no hole
      // (a close never evaluated would be one) and ignored none (one handed to it twice would be).
      const engines = (await db.query(
        `SELECT symbol, state FROM engine_states WHERE timeframe = '5m' ORDER BY symbol`,
      )) as {
        symbol: string;
        state: { snapshot: { candles: number; gaps: number; ignoredCandles: number } };
      }[];
      expect(
        engines.map(({ symbol, state }) => ({
          symbol,
          candles: state.snapshot.candles,
          gaps: state.snapshot.gaps,
          ignored: state.snapshot.ignoredCandles,
        })),
      ).toEqual(
        SYMBOLS.map((symbol) => ({ symbol, candles: candles.get(symbol)!.length, gaps: 0, ignored: 0 })),
      );

      // No change written twice: one event per signal and version.
      const events = (await db.query(
        `SELECT signal_id, type, (payload->>'version')::int AS version FROM signal_events ORDER BY seq`,
      )) as { signal_id: string; type: string; version: number }[];
      const keys = events.map((event) => `${event.signal_id}@${event.version}:${event.type}`);
      expect(keys.filter((key, i) => keys.indexOf(key) !== i)).toEqual([]);

      // The engine saw the candles a backtest sees: the same signals were created.
      const config = await api.app.get(EngineConfigService).get();
      const backtest = runBacktest(Object.fromEntries(candles), config, { timeframe: '5m' });
      const stored = (await db.query(
        `SELECT id, direction, entry_price, created_at FROM signals ORDER BY id`,
      )) as { id: string; direction: string; entry_price: number; created_at: Date }[];
      expect(stored.length).toBeGreaterThan(0);
      expect(stored.map((s) => [s.id, s.direction, s.entry_price, s.created_at.getTime()])).toEqual(
        backtest.signals
          .map((s) => [s.id, s.direction, s.entryPrice, s.createdAt])
          .sort((a, b) => ((a[0] as string) < (b[0] as string) ? -1 : 1)),
      );
    }, 240_000);
  },
);
