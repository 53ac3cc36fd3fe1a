import { ExchangeSim, startExchangeSim } from '@scanner/exchange-sim';
import type { HealthReport, SignalStats } from '@scanner/contracts';
import { EngineConfigService } from '../src/signal-engine/engine-config.service';
import { SignalEntity } from '../src/signal-engine/entities/signal.entity';
import { UniverseService } from '../src/market-data/universe.service';
import { appForSuite } from './support/app-suite';
import {
  compareWithBacktest,
  FIVE_MIN,
  storedFiveMinuteCandles,
  type StoredRun,
} from './support/outcome-rederivation';
import { scanTick } from './support/virtual-scan';

const SYMBOLS = ['BTCUSDT', 'DOGEUSDT', 'ETHUSDT', 'SOLUSDT', 'XRPUSDT'];
const START = Date.parse('2024-08-04T00:02:00Z');
const at = (hhmm: string) => Date.parse(`2024-08-04T${hhmm}:00Z`);
/** One hour missing in one series (trading suspended), then a 30-minute halt of the whole exchange. */
const HOLE = { symbol: 'BTCUSDT', interval: '5m' as const, from: at('02:00'), to: at('03:00') };
const HALT = { from: at('04:00'), to: at('04:30') };

describe("the real market's rough edges against the simulator: a hole, an exchange halt, a delisting", () => {
  let sim: ExchangeSim;

  beforeAll(async () => {
    sim = await startExchangeSim({
      symbols: SYMBOLS,
      intervals: ['5m'],
      clock: { startTime: START, paused: true },
      weightClock: 'virtual',
      faults: { holes: [HOLE], halts: [HALT] },
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

  afterAll(async () => {
    await sim?.close();
  });

  let now = START;

  async function scanAt(virtualNow: number): Promise<string> {
    now = virtualNow;
    sim.clock.set(virtualNow);
    return scanTick(app, virtualNow);
  }

  async function readiness(): Promise<HealthReport> {
    return (await fetch(`${app.url}/api/health/ready`)).json() as Promise<HealthReport>;
  }

  async function storedRun(): Promise<StoredRun> {
    const signals = await app.db.getRepository(SignalEntity).find({ order: { id: 'ASC' } });
    const candles = await storedFiveMinuteCandles(app.db);
    const config = await app.running.app.get(EngineConfigService).get();
    return { signals, events: [], candles, engines: [], config, duplicateCandles: 0 };
  }

  it('a 1-hour hole and a 30-minute halt: recorded once, every series resumes after them, readiness names the halt, signals equal the backtest', async () => {
    const statuses: Record<string, string> = {};
    let haltSeen: HealthReport | null = null;
    for (let t = START; t <= at('05:32'); t += FIVE_MIN) {
      statuses[new Date(t).toISOString().slice(11, 16)] = await scanAt(t);
      if (t === at('04:12')) haltSeen = await readiness();
    }
    // While the exchange is halted no scan fails; while one series is in its hole only that series is reported (stale).
    const notOk = Object.entries(statuses).filter(([, status]) => status !== 'ok');
    expect(notOk.length).toBeGreaterThan(0);
    expect(
      notOk.filter(([time, status]) => status !== 'partial' || time < '02:00' || time >= '03:00'),
    ).toEqual([]);
    const errors = (await app.db.query(
      `SELECT DISTINCT e->>'symbol' AS symbol FROM scan_runs, jsonb_array_elements(errors) e`,
    )) as { symbol: string }[];
    expect(errors).toEqual([{ symbol: HOLE.symbol }]);
    const exchange = haltSeen!.details.exchange;
    expect(exchange.status).toBe('up');
    expect(exchange.halt).toMatchObject({ since: '2024-08-04T04:00:00.000Z', statuses: ['BREAK'] });
    expect(exchange.message).toContain('exchange halted since 2024-08-04T04:00:00.000Z');
    // The scans are judged on the exchange's clock (2024, the replay's), at the start of the halt: the
    // newest candle stored then (the last one before the halt is confirmed closed only when trading resumes).
    const scans = haltSeen!.details.scans as Record<string, unknown>;
    expect(scans).toMatchObject({ status: 'up', clock: 'exchange' });
    const newest = Date.parse(scans.newestCandleClosedAt as string);
    expect(newest).toBeGreaterThanOrEqual(at('03:55'));
    expect(newest).toBeLessThanOrEqual(HALT.from);
    expect(scans.ageSeconds).toBe((HALT.from - newest) / 1000);
    expect(Date.parse(scans.marketNow as string)).toBeGreaterThanOrEqual(at('04:12'));
    expect(Date.parse(scans.marketNow as string)).toBeLessThan(at('04:17'));
    expect(scans.note).toContain('exchange halted since 2024-08-04T04:00:00.000Z');
    // Over once trading resumed.
    expect((await readiness()).details.exchange.halt).toBeUndefined();

    const gaps = (
      (await app.db.query(
        `SELECT symbol, interval, from_open_time, to_open_time FROM candle_gaps ORDER BY symbol, from_open_time`,
      )) as { symbol: string; interval: string; from_open_time: string; to_open_time: string }[]
    ).map((row) => ({
      symbol: row.symbol,
      interval: row.interval,
      from: Number(row.from_open_time),
      to: Number(row.to_open_time),
    }));
    const expected = SYMBOLS.flatMap((symbol) => [
      ...(symbol === HOLE.symbol ? [{ symbol, interval: '5m', from: HOLE.from, to: HOLE.to }] : []),
      { symbol, interval: '5m', from: HALT.from, to: HALT.to },
    ]);
    expect(gaps).toEqual(expected);

    const run = await storedRun();
    for (const symbol of SYMBOLS) {
      const opens = run.candles.get(symbol)!.map((c) => c.openTime);
      // Nothing inside the holes, and the first candle after each is there (the series went on from it).
      expect(opens.filter((t) => t >= HALT.from && t < HALT.to)).toEqual([]);
      expect(opens).toContain(HALT.to);
      if (symbol === HOLE.symbol) {
        expect(opens.filter((t) => t >= HOLE.from && t < HOLE.to)).toEqual([]);
        expect(opens).toContain(HOLE.to);
      }
      expect(opens.at(-1)).toBe(at('05:25'));
    }
    // The live engine, fed the candles as they came (holes and all), equals the backtest over the same candles.
    expect(run.signals.length).toBeGreaterThan(10);
    const ticked = compareWithBacktest(run);
    // A level crossed on the still-open candle closes at the exchange time the scan saw it (every scan
    // here runs 2 minutes into a candle), not at the candle's open or close.
    const tickCloses = run.signals.filter(
      (s) => s.closedAt !== null && (s.closedAt.getTime() + 1) % FIVE_MIN !== 0 && s.status !== 'CANCELLED',
    );
    expect(tickCloses).toHaveLength(ticked);
    expect(ticked).toBeGreaterThan(0);
    for (const signal of tickCloses) {
      const intoCandle = signal.closedAt!.getTime() % FIVE_MIN;
      expect({ id: signal.id, intoCandle: intoCandle >= 120_000 && intoCandle < 150_000 }).toEqual({
        id: signal.id,
        intoCandle: true,
      });
    }
  });

  it('a delisted symbol: its ACTIVE signal closes as CANCELLED within one scan, at the last price seen, and counts in the stats', async () => {
    let active: { id: string; symbol: string } | undefined;
    for (let i = 0; i < 200 && active === undefined; i++) {
      [active] = (await app.db.query(
        `SELECT id, symbol FROM signals WHERE status = 'ACTIVE' ORDER BY id LIMIT 1`,
      )) as { id: string; symbol: string }[];
      if (active === undefined) await scanAt(now + FIVE_MIN);
    }
    expect(active).toBeDefined();
    const victim = active!.symbol;
    // The price the last scan saw (the open candle so far): the 24h ticker's last price at the same instant.
    const lastSeen = (await (await fetch(`${sim.url}/api/v3/ticker/24hr?symbol=${victim}`)).json()) as {
      lastPrice: string;
    };
    const delistedAt = now + 60_000;
    sim.faults.set({ symbolEvents: [{ symbol: victim, at: delistedAt, status: 'DELISTED' }] });

    expect(await scanAt(now + FIVE_MIN)).toBe('partial');
    const signal = await app.db.getRepository(SignalEntity).findOneByOrFail({ id: active!.id });
    expect(signal.status).toBe('CANCELLED');
    expect(signal.closeReason).toContain('-1121');
    expect(signal.closedAt!.getTime()).toBeGreaterThanOrEqual(delistedAt);
    expect(signal.exitPrice).toBeCloseTo(Number(lastSeen.lastPrice), 6);
    const events = (await app.db.query(
      `SELECT type, payload FROM signal_events WHERE signal_id = $1 ORDER BY seq DESC LIMIT 1`,
      [active!.id],
    )) as { type: string; payload: { status: string; closeReason: string } }[];
    expect(events[0]).toMatchObject({ type: 'deleted', payload: { status: 'CANCELLED' } });

    const stats = (await (await fetch(`${app.url}/api/signals/stats`)).json()) as SignalStats;
    expect(stats.overall.byOutcome.CANCELLED).toBe(1);
    // Expectancy: the mean net R over every close, the cancellation included; the gross mean beside it.
    const closed = (await app.db.query(
      `SELECT avg(net_r) AS net, avg(outcome_r) AS gross FROM signals WHERE status <> 'ACTIVE'`,
    )) as { net: number; gross: number }[];
    expect(stats.overall.expectancy).toBeCloseTo(Number(closed[0].net), 9);
    expect(stats.overall.expectancyGross).toBeCloseTo(Number(closed[0].gross), 9);

    // Gone from the universe: the next scan does not ask for it again.
    const before = sim.stats.snapshot().byPath['/api/v3/klines'];
    expect(await scanAt(now + FIVE_MIN)).toBe('ok');
    expect(sim.stats.snapshot().byPath['/api/v3/klines'] - before).toBe(SYMBOLS.length - 1);
  });

  it('a symbol halted for 30 minutes: out of the scan while halted, back when TRADING, its hole recorded and its warm-up restarted', async () => {
    const [symbol] = (await app.running.app.get(UniverseService).symbols()).filter((s) => s !== HOLE.symbol);
    const haltedAt = now + 60_000;
    const until = haltedAt + 30 * 60_000;
    sim.faults.set({ symbolEvents: [{ symbol, at: haltedAt, until, status: 'HALT' }] });
    const gapsBefore = await engineGaps(symbol);

    expect(await scanAt(now + FIVE_MIN)).toBe('partial'); // -1121 for it: taken out of the universe
    expect(await app.running.app.get(UniverseService).symbols()).not.toContain(symbol);
    expect(await scanAt(now + FIVE_MIN)).toBe('ok');
    // TRADING again: the next universe refresh brings it back, and the next scan goes on after its hole.
    await scanAt(until + 7 * 60_000 - FIVE_MIN);
    await app.running.app.get(UniverseService).refresh();
    expect(await app.running.app.get(UniverseService).symbols()).toContain(symbol);
    expect(await scanAt(now + FIVE_MIN)).toBe('ok');

    const [gap] = (await app.db.query(
      `SELECT from_open_time::bigint AS "from", to_open_time::bigint AS "to" FROM candle_gaps WHERE symbol = $1 AND from_open_time > $2`,
      [symbol, HALT.to],
    )) as { from: string; to: string }[];
    expect(Number(gap.from)).toBeLessThanOrEqual(haltedAt + FIVE_MIN);
    // The candle open when trading resumed was partly traded: it exists, the hole ends at its open.
    expect(Number(gap.to)).toBe(Math.floor(until / FIVE_MIN) * FIVE_MIN);
    expect(await engineGaps(symbol)).toBe(gapsBefore + 1);
  });

  async function engineGaps(symbol: string): Promise<number> {
    const [row] = (await app.db.query(
      `SELECT (state->'snapshot'->>'gaps')::int AS gaps FROM engine_states WHERE symbol = $1`,
      [symbol],
    )) as {
      gaps: number;
    }[];
    return row.gaps;
  }
});
