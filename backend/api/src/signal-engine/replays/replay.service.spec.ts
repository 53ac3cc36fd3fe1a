import { PGlite } from '@electric-sql/pglite';
import type { ReplayRequest, ReplayResult, ScoringVersion } from '@scanner/contracts';
import {
  DEFAULT_ENGINE_CONFIG,
  resolveEngineConfig,
  runBacktest,
  type Candle,
  type EngineConfig,
  type Signal,
} from '@scanner/signal-core';
import { loadTalibFixtures } from '../../../../libs/signal-core/src/testing/talib-fixtures';
import { DataSource } from 'typeorm';
import { parseEnv } from '../../config';
import { createTypeOrmOptions, MIGRATIONS } from '../../database';
import type { CandleStore, FineCandleService } from '../../market-data';
import { EngineConfigService } from '../engine-config.service';
import type { ScoringVersionsService } from '../scoring-versions.service';
import { SHARD_SERIES } from './replay-shards';
import { ReplayService } from './replay.service';

jest.setTimeout(60_000);

const FIXTURES = loadTalibFixtures().filter((f) => f.interval === '5m');
const BTC = FIXTURES.find((f) => f.symbol === 'BTCUSDT')!.candles;
const VERSION_B_CONFIG = resolveEngineConfig({ minConfidence: 85 });

let dataSource: DataSource;

beforeAll(async () => {
  // In-memory PGlite through the app's driver, with the replay tables of the app's migrations.
  const { driver } = (await createTypeOrmOptions(parseEnv({}), await PGlite.create())) as { driver: unknown };
  dataSource = new DataSource({ type: 'postgres', driver });
  await dataSource.initialize();
  const runner = dataSource.createQueryRunner();
  for (const name of ['Replays1733160000000', 'ReplayShards1733170000000'])
    await new (MIGRATIONS.find((m) => m.name === name)!)().up(runner);
  await runner.release();
  // The columns of signals and engine_states the replay reads.
  await dataSource.query(`CREATE TABLE signals (
    id text PRIMARY KEY, scoring_version integer NOT NULL, symbol text NOT NULL, timeframe text NOT NULL,
    entry_price float8 NOT NULL, take_profit float8 NOT NULL, status text NOT NULL,
    candle_open_time timestamptz NOT NULL, closed_at timestamptz, resolution text)`);
  await dataSource.query(`CREATE TABLE engine_states (
    symbol text NOT NULL, timeframe text NOT NULL, last_candle_open_time bigint NOT NULL, state jsonb NOT NULL,
    PRIMARY KEY (symbol, timeframe))`);
});

afterAll(() => dataSource.destroy());

beforeEach(async () => {
  await dataSource.query(
    `TRUNCATE ab_replays, ab_replay_shards, signals, engine_states RESTART IDENTITY CASCADE`,
  );
});

interface Store {
  /** Stored closed candles per "SYMBOL|timeframe", oldest first. */
  candles: Record<string, Candle[]>;
  /** Stored 1m candles per symbol. */
  fine: Record<string, Candle[]>;
  /** Runs as each series' period is read (before it is returned). */
  onSeries?: (symbol: string) => void | Promise<void>;
}

const version = (id: number): ScoringVersion => ({
  id,
  config: (id === 2 ? VERSION_B_CONFIG : DEFAULT_ENGINE_CONFIG) as unknown as ScoringVersion['config'],
  note: '',
  active: id === 1,
  createdAt: new Date(0).toISOString(),
  activatedAt: null,
});
const versions = { get: async (id: number) => version(id) } as unknown as ScoringVersionsService;
const engineConfig = new EngineConfigService(versions, parseEnv({}));
const liveConfig = (id: number): EngineConfig => engineConfig.configOf(version(id));

function service(store: Store, threads = 1): ReplayService {
  const series = (symbol: string, timeframe: string) => store.candles[`${symbol}|${timeframe}`] ?? [];
  const candles = {
    between: async (symbol: string, timeframe: string, after: number, before: number) => {
      await store.onSeries?.(symbol);
      return series(symbol, timeframe).filter((c) => c.openTime > after && c.openTime < before);
    },
    before: async (symbol: string, timeframe: string, before: number | null, limit: number) => {
      const older = series(symbol, timeframe).filter((c) => before === null || c.openTime < before);
      return older.slice(Math.max(0, older.length - limit));
    },
  } as unknown as CandleStore;
  const fine = {
    stored: async (symbol: string, from: number, to: number) =>
      (store.fine[symbol] ?? []).filter((c) => c.openTime >= from && c.openTime <= to),
  } as unknown as FineCandleService;
  return new ReplayService(
    dataSource,
    candles,
    fine,
    versions,
    engineConfig,
    parseEnv({ REPLAY_THREADS: String(threads) }),
  );
}

async function queue(request: ReplayRequest): Promise<number> {
  const [row] = await dataSource.query(
    `INSERT INTO ab_replays (request, series_total) VALUES ($1, $2) RETURNING id`,
    [JSON.stringify(request), request.symbols.length * request.timeframes.length],
  );
  return row.id;
}

async function row(id: number) {
  const [r] = await dataSource.query(`SELECT * FROM ab_replays WHERE id = $1`, [id]);
  return { ...r, candles_read: Number(r.candles_read), result: r.result as ReplayResult | null };
}

/** The `ab-replay` job then its shard jobs in the given order (default: as planned). */
async function runAll(replays: ReplayService, id: number, order?: (shards: number[]) => number[]) {
  const shards = await replays.run(id);
  for (const shard of order ? order(shards) : shards) await replays.runShard(id, shard);
  return shards;
}

const symbols = (n: number) => Array.from({ length: n }, (_, i) => `S${String(i).padStart(2, '0')}USDT`);

const REQUEST: ReplayRequest = {
  symbols: ['BTCUSDT'],
  timeframes: ['5m'],
  from: new Date(BTC[350].openTime).toISOString(),
  to: new Date(BTC[BTC.length - 1].openTime).toISOString(),
  versionA: 1,
  versionB: 2,
};

async function storeLiveSignals(signals: readonly Signal[], scoringVersion: number) {
  for (const s of signals)
    await dataSource.query(`INSERT INTO signals VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, [
      s.id,
      scoringVersion,
      s.symbol,
      s.timeframe,
      s.entryPrice,
      s.takeProfit,
      s.status,
      new Date(s.candleOpenTime),
      s.closedAt === null ? null : new Date(s.closedAt),
      s.resolution,
    ]);
}

describe('ReplayService: shards, progress, cancel, retries', () => {
  it('splits the series into shards that store their part; the last to finish merges them, in any order', async () => {
    const request = { ...REQUEST, symbols: ['BTCUSDT', ...symbols(SHARD_SERIES)] };
    const store: Store = { candles: { 'BTCUSDT|5m': BTC }, fine: {} };
    const id = await queue(request);
    const replays = service(store);
    const shards = await runAll(replays, id, (s) => [...s].reverse());
    expect(shards).toEqual([0, 1]);
    const done = await row(id);
    expect(done).toMatchObject({ status: 'done', series_done: SHARD_SERIES + 1, candles_read: BTC.length });
    // The same as one shard over everything (BTCUSDT sorts first: shard 0).
    const expected = runBacktest({ BTCUSDT: BTC }, liveConfig(1), { timeframe: '5m' }).signals.filter(
      (s) => s.candleOpenTime >= Date.parse(REQUEST.from),
    );
    expect(done.result!.a.signals).toBe(expected.length);
    expect(done.result!.a.scoringVersion).toBe(1);
    expect(done.result!.b.scoringVersion).toBe(2);
    const single = await queue(REQUEST);
    await runAll(service(store), single);
    expect((await row(single)).result).toEqual(done.result);
    await replays.onModuleDestroy();
  });

  it('does not start a replay cancelled while queued', async () => {
    const id = await queue(REQUEST);
    await dataSource.query(`UPDATE ab_replays SET cancel_requested = true WHERE id = $1`, [id]);
    expect(await service({ candles: {}, fine: {} }).run(id)).toEqual([]);
    expect((await row(id)).status).toBe('queued');
  });

  it('stops at the next chunk once a cancel is requested, and says cancelled', async () => {
    const request = { ...REQUEST, symbols: ['AAAUSDT', 'BBBUSDT', 'CCCUSDT'] };
    const id = await queue(request);
    const store: Store = {
      candles: {},
      fine: {},
      onSeries: async (symbol) => {
        if (symbol === 'AAAUSDT')
          await dataSource.query(`UPDATE ab_replays SET cancel_requested = true WHERE id = $1`, [id]);
      },
    };
    await runAll(service(store), id);
    expect(await row(id)).toMatchObject({ status: 'cancelled', series_done: 1, result: null });
    expect(await dataSource.query(`SELECT status FROM ab_replay_shards WHERE replay_id = $1`, [id])).toEqual([
      { status: 'cancelled' },
    ]);
  });

  it('a retried shard replaces its own progress and part (never counts twice); a last failure fails the replay', async () => {
    const id = await queue(REQUEST);
    let failures = 1;
    const store: Store = {
      candles: { 'BTCUSDT|5m': BTC },
      fine: {},
      onSeries: () => {
        if (failures-- > 0) throw new Error('candles unreadable');
      },
    };
    const replays = service(store);
    const [shard] = await replays.run(id);
    await expect(replays.runShard(id, shard, false)).rejects.toThrow('candles unreadable');
    expect(await row(id)).toMatchObject({ status: 'running', error: null });
    await replays.runShard(id, shard, false);
    // A shard job run again once done (its merge step had failed) only merges.
    await replays.runShard(id, shard, false);
    const done = await row(id);
    expect(done).toMatchObject({ status: 'done', series_done: 1, candles_read: BTC.length });
    const [part] = await dataSource.query(
      `SELECT attempts, error FROM ab_replay_shards WHERE replay_id = $1`,
      [id],
    );
    expect(part).toEqual({ attempts: 2, error: null });

    const failing = await queue(REQUEST);
    failures = 1;
    const [only] = await replays.run(failing);
    await expect(replays.runShard(failing, only, true)).rejects.toThrow('candles unreadable');
    expect(await row(failing)).toMatchObject({ status: 'failed', error: 'candles unreadable' });
  });

  it('gives the same result on worker threads as in this thread', async () => {
    const store: Store = {
      candles: Object.fromEntries(FIXTURES.map((f) => [`${f.symbol}|5m`, f.candles])),
      fine: {},
    };
    const request = { ...REQUEST, symbols: FIXTURES.map((f) => f.symbol) };
    const inThread = await queue(request);
    await runAll(service(store, 1), inThread);
    const threaded = await queue(request);
    const replays = service(store, 2);
    try {
      await runAll(replays, threaded);
    } finally {
      await replays.onModuleDestroy();
    }
    const [a, b] = [await row(inThread), await row(threaded)];
    expect(b.status).toBe('done');
    expect(b.result).toEqual(a.result);
    expect(b.candles_read).toBe(a.candles_read);
  });
});

describe('ReplayService: the live version reproduces the stored live signals', () => {
  const from = Date.parse(REQUEST.from);

  /**
   * BTCUSDT 5m with one candle raised to touch the target of a signal that closed at its stop on
   * it, and 1m candles of that span reaching the target first: live (given them) it is a TP_HIT.
   */
  function sameCandleCase() {
    const candles = BTC.map((c) => ({ ...c }));
    const plain = runBacktest({ BTCUSDT: candles }, liveConfig(1), { timeframe: '5m' }).signals;
    const victim = plain.find((s) => s.status === 'SL_HIT' && s.candleOpenTime >= from)!;
    const k = candles.findIndex((c) => c.openTime <= victim.closedAt! && victim.closedAt! <= c.closeTime);
    const c = candles[k];
    const long = victim.direction === 'LONG';
    if (long) c.high = Math.max(c.high, victim.takeProfit * 1.001);
    else c.low = Math.min(c.low, victim.takeProfit * 0.999);
    const first = long
      ? { high: c.high, low: Math.max(c.low, victim.stopLoss * 1.0001), close: c.open }
      : { high: Math.min(c.high, victim.stopLoss * 0.9999), low: c.low, close: c.open };
    const fine: Candle[] = Array.from({ length: 5 }, (_, m) => ({
      openTime: c.openTime + m * 60_000,
      closeTime: c.openTime + (m + 1) * 60_000 - 1,
      open: c.open,
      high: m === 0 ? Math.max(first.high, c.open) : c.high,
      low: m === 0 ? Math.min(first.low, c.open) : c.low,
      close: first.close,
      volume: c.volume / 5,
    }));
    return { candles, fine, victimId: victim.id };
  }

  it('replays each series as its live engine saw it (its first candle on), same-candle closes decided by the stored 1m bars', async () => {
    const { candles, fine, victimId } = sameCandleCase();
    // The live engine started at candle 100 (a warm-up of what was stored then) and is at the last.
    const start = 100;
    const live = runBacktest({ BTCUSDT: candles.slice(start) }, liveConfig(1), {
      timeframe: '5m',
      fineCandles: { BTCUSDT: fine },
    }).signals;
    const victim = live.find((s) => s.id === victimId)!;
    expect(victim).toMatchObject({ status: 'TP_HIT', resolution: 'fine' });
    const inPeriod = live.filter((s) => s.candleOpenTime >= from);
    await storeLiveSignals(inPeriod, 1);
    // A signal from before the period is not counted (the live engine created it: stored).
    await storeLiveSignals(
      live.filter((s) => s.candleOpenTime < from),
      1,
    );
    await dataSource.query(`INSERT INTO engine_states VALUES ('BTCUSDT', '5m', $1, $2)`, [
      candles[candles.length - 1].openTime,
      JSON.stringify({ snapshot: { candles: candles.length - start } }),
    ]);
    const id = await queue(REQUEST);
    await runAll(service({ candles: { 'BTCUSDT|5m': candles }, fine: { BTCUSDT: fine } }), id);
    const done = await row(id);
    expect(inPeriod.length).toBeGreaterThan(5);
    expect(done.result!.a.live).toEqual({
      stored: inPeriod.length,
      matching: inPeriod.length,
      reproduced: true,
    });
    expect(done.result!.a.signals).toBe(inPeriod.length);
    expect(done.result!.b.live).toBeNull();
  });

  it('without a stored engine state, warms up on the live warm-up length of stored history before the period', async () => {
    const { candles, fine } = sameCandleCase();
    // Fewer candles than the warm-up length are stored before `from`: a live engine started on the first.
    const live = runBacktest({ BTCUSDT: candles }, liveConfig(1), {
      timeframe: '5m',
      fineCandles: { BTCUSDT: fine },
    }).signals.filter((s) => s.candleOpenTime >= from);
    await storeLiveSignals(live, 1);
    const id = await queue(REQUEST);
    await runAll(service({ candles: { 'BTCUSDT|5m': candles }, fine: { BTCUSDT: fine } }), id);
    expect((await row(id)).result!.a.live).toEqual({
      stored: live.length,
      matching: live.length,
      reproduced: true,
    });
  });

  it('keeps a candle the live engine decided as SL without 1m candles so, even with 1m candles of it stored since', async () => {
    const { candles, fine, victimId } = sameCandleCase();
    // Live, the 1m fetch failed: the victim closed at its stop (conservative); its 1m candles were stored later.
    const live = runBacktest({ BTCUSDT: candles }, liveConfig(1), { timeframe: '5m' }).signals.filter(
      (s) => s.candleOpenTime >= from,
    );
    expect(live.find((s) => s.id === victimId)).toMatchObject({
      status: 'SL_HIT',
      resolution: 'conservative',
    });
    await storeLiveSignals(live, 1);
    const id = await queue(REQUEST);
    await runAll(service({ candles: { 'BTCUSDT|5m': candles }, fine: { BTCUSDT: fine } }), id);
    expect((await row(id)).result!.a.live).toEqual({
      stored: live.length,
      matching: live.length,
      reproduced: true,
    });
  });
});
