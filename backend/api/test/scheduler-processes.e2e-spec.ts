import { getQueueToken } from '@nestjs/bull';
import { SchedulerRegistry } from '@nestjs/schedule';
import { ExchangeSim, startExchangeSim } from '@scanner/exchange-sim';
import type { Queue } from 'bull';
import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { DataSource } from 'typeorm';
import { RunningApp, startApp } from '../src/bootstrap';
import { ScanBatchService } from '../src/signal-engine/scan-batch.service';
import { CronProducer } from '../src/scheduler/cron.producer';
import { SignalScannerService } from '../src/signal-engine/signal-scanner.service';
import { MAIN_JS, spawnNode } from './support/app-process';
import { describeWithRedis } from './support/redis-suite';
import { createTestEnvironment, eventually, TestEnvironment } from './support/test-env';

const SYMBOLS = ['BTCUSDT', 'ETHUSDT', 'SOLUSDT', 'XRPUSDT'];
const FIVE_MIN = 300_000;
const START = Date.parse('2024-08-05T00:00:00Z');
/** The bundle's finest interval is 5m: a tick every 5 virtual minutes brings one new closed candle per symbol. */
const TICK_CRON = '0 */5 * * * *';
/** The cold start (1000 candles of history) and then 5 ticks of 5 virtual minutes each. */
const TICKS = 6;
/** Each api process fires its cron callback a little after the scheduled instant (and not at the same moment). */
const FIRE_DELAY_MS = [30_000, 30_700];

function scanOverrides(sim: ExchangeSim): Record<string, string> {
  return {
    BINANCE_REST_URL: sim.url,
    SCAN_SYMBOLS_ALLOW: SYMBOLS.join(','),
    SCAN_TOP_N: String(SYMBOLS.length),
    SCAN_TIMEFRAMES: '5m',
    // Real cron never fires during the test: the ticks are driven on the virtual clock below.
    SCAN_CRON: '0 0 0 1 1 *',
    // One symbol per batch: every scan is 4 `scan-batch` jobs for the workers to share.
    SCAN_BATCH_SIZE: '1',
  };
}

/** The api processes' own crons (expire-signals, notifications…) run on the wall clock: off, so only the driven ticks run. */
function stopCrons(running: RunningApp): void {
  for (const job of running.app.get(SchedulerRegistry).getCronJobs().values()) void job.stop();
}

function tickAt(index: number): number {
  return START + index * FIVE_MIN;
}

interface RunRow {
  id: number;
  status: string;
  batches: number;
  batches_done: number;
  series_failed: number;
  candles_fetched: number;
}

/**
 * Waits for the scan of `tick`: its scan_runs row finished (every batch synced its candles) and every
 * `scan-batch` job of the tick completed (the engine runs after the batch records its candles).
 */
async function runOfTick(db: DataSource, queue: Queue, tick: number, timeoutMs = 30_000): Promise<RunRow> {
  const iso = new Date(tick).toISOString();
  return eventually(
    async () => {
      const rows = (await db.query(
        `SELECT id::int AS id, status, batches, batches_done, series_failed, candles_fetched FROM scan_runs WHERE tick = $1`,
        [iso],
      )) as RunRow[];
      if (rows.length === 0 || rows.some((row) => row.status === 'running')) return false;
      const jobs = await Promise.all(
        Array.from({ length: rows[0].batches }, (_, batch) => queue.getJob(`scan-batch:${iso}:${batch}`)),
      );
      return jobs.every((job) => job !== null && job.finishedOn != null) && rows[0];
    },
    timeoutMs,
    `the scan of ${iso}`,
  );
}

function scannerQueue(running: RunningApp): Queue {
  return running.app.get<Queue>(getQueueToken('scanner'));
}

/** Fires tick `index` from every api process (as their crons would), then waits for its scan to finish. */
async function driveTick(
  sim: ExchangeSim,
  producers: RunningApp[],
  db: DataSource,
  index: number,
): Promise<{ enqueued: boolean[]; run: RunRow }> {
  const tick = tickAt(index);
  sim.clock.set(tick + FIRE_DELAY_MS[0]);
  const enqueued = await Promise.all(
    producers.map((producer, i) =>
      producer.app.get(CronProducer).fire('scan-market', TICK_CRON, tick + FIRE_DELAY_MS[i]),
    ),
  );
  return { enqueued, run: await runOfTick(db, scannerQueue(producers[0]), tick) };
}

/** Calls into one worker process's scan services (they still run: the spies only record). */
function spyOnWorker(worker: RunningApp) {
  const scans = worker.app.get(ScanBatchService);
  const signals = worker.app.get(SignalScannerService);
  return {
    plan: jest.spyOn(scans, 'plan'),
    runBatch: jest.spyOn(scans, 'runBatch'),
    processSymbol: jest.spyOn(signals, 'processSymbol'),
  };
}
type WorkerSpies = ReturnType<typeof spyOnWorker>;

/** `symbol:timeframe:openTime` of every closed candle a worker fed to the engine. */
function candlesFedToEngine(spies: WorkerSpies): string[] {
  return spies.processSymbol.mock.calls.flatMap(([symbol, timeframe, update]) =>
    update.newClosed.map((candle) => `${symbol}:${timeframe}:${candle.openTime}`),
  );
}

function duplicates(values: readonly string[]): string[] {
  const seen = new Set<string>();
  return values.filter((value) => (seen.has(value) ? true : (seen.add(value), false)));
}

/** Everything the scans leave in the database, in a stable order, for comparing two runs. */
async function outcome(db: DataSource) {
  const [signals, events, states, candles] = await Promise.all([
    db.query(`SELECT * FROM signals ORDER BY id`),
    db.query(`SELECT signal_id, type, payload FROM signal_events ORDER BY signal_id, seq`),
    db.query(
      `SELECT symbol, timeframe, last_candle_open_time, state FROM engine_states ORDER BY symbol, timeframe`,
    ),
    db.query(
      `SELECT symbol, count(*)::int AS count, count(DISTINCT open_time)::int AS distinct_count, min(open_time)::bigint AS first, max(open_time)::bigint AS last,
              md5(string_agg(concat_ws('|', open_time, open, high, low, close, volume), ',' ORDER BY open_time)) AS digest
         FROM candles WHERE interval = '5m' GROUP BY symbol ORDER BY symbol`,
    ),
  ]);
  return {
    signals: signals as Record<string, unknown>[],
    events: events as { signal_id: string; type: string; payload: { version: number } }[],
    states: states as { symbol: string; last_candle_open_time: string }[],
    candles: candles as CandleSeries[],
  };
}

interface CandleSeries {
  symbol: string;
  count: number;
  distinct_count: number;
  first: string;
  last: string;
  digest: string;
}

/** Every stored series ends at the last closed candle, without gaps or repeats. */
function expectCompleteSeries(series: CandleSeries[], now: number): void {
  expect(series.map((row) => row.symbol)).toEqual(SYMBOLS.slice().sort());
  for (const row of series) {
    const expected = (lastClosedOpen(now) - Number(row.first)) / FIVE_MIN + 1;
    expect({
      symbol: row.symbol,
      count: row.count,
      distinct: row.distinct_count,
      last: Number(row.last),
    }).toEqual({ symbol: row.symbol, count: expected, distinct: expected, last: lastClosedOpen(now) });
  }
}

/** An event is one (signal, version): the same change written twice would repeat it. */
function duplicateEvents(
  events: { signal_id: string; type: string; payload: { version: number } }[],
): string[] {
  return duplicates(events.map((event) => `${event.signal_id}@${event.payload.version}:${event.type}`));
}

/** The last 5m candle closed at virtual time `now`. */
function lastClosedOpen(now: number): number {
  return Math.floor(now / FIVE_MIN) * FIVE_MIN - FIVE_MIN;
}

describeWithRedis('scheduler: scans shared by several api and worker processes on Bull', () => {
  let sim: ExchangeSim;
  const environments: TestEnvironment[] = [];
  const apps: RunningApp[] = [];
  let child: ChildProcess | null = null;

  beforeAll(async () => {
    sim = await startExchangeSim({
      symbols: SYMBOLS,
      intervals: ['5m'],
      clock: { startTime: START, paused: true },
      log: false,
    });
  });

  afterAll(async () => {
    if (child !== null && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await Promise.all(apps.map((running) => running.close().catch(() => undefined)));
    await Promise.all(environments.map((environment) => environment.cleanup()));
    await sim?.close();
  });

  async function environment(): Promise<TestEnvironment> {
    const created = await createTestEnvironment();
    environments.push(created);
    return created;
  }

  async function start(env: TestEnvironment, overrides: Record<string, string>): Promise<RunningApp> {
    const running = await startApp(env.config(overrides), { host: '127.0.0.1' });
    apps.push(running);
    if (running.url !== null) stopCrons(running);
    return running;
  }

  it('two api + two worker processes over 5 ticks: one scan-market per tick, batches on both workers, each candle once, signals as in one process', async () => {
    sim.faults.reset();
    const shared = await environment();
    const overrides = scanOverrides(sim);
    // Workers first: one of them runs the migrations the others then find applied.
    const workers = [await start(shared, { ...overrides, APP_ROLE: 'worker' })];
    workers.push(await start(shared, { ...overrides, APP_ROLE: 'worker' }));
    const apis = [
      await start(shared, { ...overrides, APP_ROLE: 'api' }),
      await start(shared, { ...overrides, APP_ROLE: 'api' }),
    ];
    const spies = workers.map(spyOnWorker);
    const db = apis[0].app.get(DataSource);

    for (let index = 0; index < TICKS; index++) {
      const { enqueued, run } = await driveTick(sim, apis, db, index);
      // Both api processes fired; one enqueued, the other found the tick's job id taken.
      expect(enqueued.filter(Boolean)).toHaveLength(1);
      expect(run).toMatchObject({
        status: 'ok',
        batches: SYMBOLS.length,
        batches_done: SYMBOLS.length,
        series_failed: 0,
      });
    }
    const finalNow = tickAt(TICKS - 1) + FIRE_DELAY_MS[0];

    // Exactly one scan-market per tick: one scan_runs row each, planned once across both workers.
    const runsPerTick = (await db.query(
      `SELECT tick, count(*)::int AS runs FROM scan_runs GROUP BY tick ORDER BY tick`,
    )) as { tick: Date; runs: number }[];
    expect(runsPerTick.map((row) => [row.tick.getTime(), row.runs])).toEqual(
      Array.from({ length: TICKS }, (_, index) => [tickAt(index), 1]),
    );
    expect(spies.reduce((sum, worker) => sum + worker.plan.mock.calls.length, 0)).toBe(TICKS);

    // Batches shared by both workers, each batch run once.
    const batchesPerWorker = spies.map((worker) =>
      worker.runBatch.mock.calls.map(([runId, symbols]) => `${runId}:${symbols.join(',')}`),
    );
    expect(batchesPerWorker.map((batches) => batches.length > 0)).toEqual([true, true]);
    const allBatches = batchesPerWorker.flat();
    expect(allBatches).toHaveLength(TICKS * SYMBOLS.length);
    expect(duplicates(allBatches)).toEqual([]);

    // No series handed to the engine twice in a tick, no closed candle fed to it twice.
    const engineCalls = spies.flatMap((worker) => worker.processSymbol.mock.calls.map(([symbol]) => symbol));
    for (const symbol of SYMBOLS)
      expect({ symbol, scans: engineCalls.filter((called) => called === symbol).length }).toEqual({
        symbol,
        scans: TICKS,
      });
    const fed = spies.flatMap(candlesFedToEngine);
    expect(duplicates(fed)).toEqual([]);
    // The cold start fed up to 1000 candles per symbol, then every tick one more.
    expect(fed.length).toBeGreaterThan(SYMBOLS.length * (900 + TICKS - 1));

    const multi = await outcome(db);
    expectCompleteSeries(multi.candles, finalNow);
    expect(multi.states.map((state) => [state.symbol, Number(state.last_candle_open_time)])).toEqual(
      SYMBOLS.slice()
        .sort()
        .map((symbol) => [symbol, lastClosedOpen(finalNow)]),
    );
    expect(duplicateEvents(multi.events)).toEqual([]);
    // Something to compare: the replay of these symbols raises signals.
    expect(multi.signals.length).toBeGreaterThan(0);

    // The same ticks through one process that does everything, on a fresh database and queue prefix.
    const alone = await environment();
    const single = await start(alone, { ...overrides, APP_ROLE: 'all' });
    const singleDb = single.app.get(DataSource);
    for (let index = 0; index < TICKS; index++) {
      const { enqueued, run } = await driveTick(sim, [single], singleDb, index);
      expect(enqueued).toEqual([true]);
      expect(run.status).toBe('ok');
    }
    const reference = await outcome(singleDb);
    expect(multi.signals).toEqual(reference.signals);
    expect(multi.events).toEqual(reference.events);
    expect(multi.states).toEqual(reference.states);
    expect(multi.candles).toEqual(reference.candles);
  }, 300_000);

  it('a worker killed (SIGKILL) mid-batch: the other worker runs the batch; nothing lost or duplicated', async () => {
    // The dead worker is a real process running the built app (a Nest app closed in-process would finish its job first).
    if (
      !existsSync(MAIN_JS) ||
      !readFileSync(path.join(__dirname, '..', 'dist', 'config', 'env-schema.js'), 'utf8').includes(
        'QUEUE_LOCK_MS',
      )
    ) {
      throw new Error(
        `${MAIN_JS} is missing or stale: build first with "npx tsc -p tsconfig.build.json" in backend/api`,
      );
    }
    sim.faults.reset();
    const env = await environment();
    // A dead worker's lock expires after 3 s and the survivor looks for expired locks every 3 s.
    const overrides = { ...scanOverrides(sim), QUEUE_LOCK_MS: '3000' };
    const survivor = await start(env, { ...overrides, APP_ROLE: 'worker' });
    const api = await start(env, { ...overrides, APP_ROLE: 'api' });
    const spies = spyOnWorker(survivor);
    const db = api.app.get(DataSource);

    const { NODE_OPTIONS: _ignored, ...parentEnv } = process.env;
    const victim = await spawnNode([MAIN_JS], {
      cwd: env.env.DATA_DIR,
      env: { ...parentEnv, ...env.env, ...overrides, APP_ROLE: 'worker', TZ: 'UTC' },
      ready: 'signal scanner up: role=worker',
      timeoutMs: 20_000,
      what: 'the child worker',
    });
    child = victim.child;

    // The cold start, shared by both workers.
    const cold = await driveTick(sim, [api], db, 0);
    expect(cold.run.status).toBe('ok');

    // Next tick with slow klines: every batch stays active for seconds.
    sim.faults.set({ latencyMs: 4_000 });
    const tick = tickAt(1);
    sim.clock.set(tick + FIRE_DELAY_MS[0]);
    expect(await api.app.get(CronProducer).fire('scan-market', TICK_CRON, tick + FIRE_DELAY_MS[0])).toBe(
      true,
    );
    const queue = scannerQueue(api);
    const survivorToken = (scannerQueue(survivor) as unknown as { token: string }).token;
    const marketJobId = `scan-market:${new Date(tick).toISOString()}`;
    // A batch locked by the child (not by the survivor, not by the api, which runs no jobs), once the fan-out is done.
    const held = await eventually(
      async () => {
        if ((await queue.getJob(marketJobId))?.finishedOn == null) return false;
        const taken: { id: string; symbols: string[] }[] = [];
        for (const job of await queue.getActive()) {
          if (job.name !== 'scan-batch') continue;
          const lock = await queue.client.get(`${env.env.QUEUE_PREFIX}:scanner:${job.id}:lock`);
          if (lock !== null && lock !== survivorToken)
            taken.push({ id: String(job.id), symbols: (job.data as { symbols: string[] }).symbols });
        }
        return taken.length > 0 && taken;
      },
      10_000,
      'a scan-batch job held by the child worker',
    );
    victim.child.kill('SIGKILL');
    await victim.exited;
    sim.faults.reset();

    const run = await runOfTick(db, queue, tick, 30_000);
    expect(run).toMatchObject({
      status: 'ok',
      batches: SYMBOLS.length,
      batches_done: SYMBOLS.length,
      series_failed: 0,
      candles_fetched: SYMBOLS.length,
    });
    for (const { id, symbols } of held) {
      const job = await queue.getJob(id);
      expect({ id, finished: job?.finishedOn != null, failed: job?.failedReason ?? null }).toEqual({
        id,
        finished: true,
        failed: null,
      });
      // The survivor ran it, for this tick's run.
      expect(
        spies.runBatch.mock.calls.some(
          ([runId, batch]) => runId === run.id && batch.join(',') === symbols.join(','),
        ),
      ).toBe(true);
    }

    const after = await outcome(db);
    const now = tick + FIRE_DELAY_MS[0];
    expectCompleteSeries(after.candles, now);
    // Nothing lost: every engine has seen the tick's candle; nothing duplicated: no signal change written twice.
    expect(after.states.map((state) => [state.symbol, Number(state.last_candle_open_time)])).toEqual(
      SYMBOLS.slice()
        .sort()
        .map((symbol) => [symbol, lastClosedOpen(now)]),
    );
    expect(duplicateEvents(after.events)).toEqual([]);
    expect(duplicates(candlesFedToEngine(spies))).toEqual([]);
  }, 300_000);
});
