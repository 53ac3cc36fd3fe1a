import { PGlite } from '@electric-sql/pglite';
import { DEFAULT_ENGINE_CONFIG, SignalEngine, type EngineEvent } from '@scanner/signal-core';
import { DataSource, type DataSourceOptions, type Logger as TypeOrmLogger } from 'typeorm';
import type { AppConfig } from '../config';
import { createTypeOrmOptions } from '../database';
import type { CandleStore, MarketCandle } from '../market-data';
import type { CreationStampService } from './creation-stamps.service';
import { EngineStateEntity } from './entities/engine-state.entity';
import { SignalEventEntity } from './entities/signal-event.entity';
import { SignalEntity } from './entities/signal.entity';
import type { EngineConfigService } from './engine-config.service';
import type { FineCandlePrefetch } from './fine-candle-prefetch';
import type { HtfTrendService } from './htf-trend.service';
import { SignalChangeNotices } from './signal-change-notices';
import { domainSignal } from './signal-engine.testing';
import { SignalScannerService } from './signal-scanner.service';
import { EngineStateConflictError } from './signal-store.errors';
import {
  FLUSH_AT_STEPS,
  MAX_FLUSHES_IN_FLIGHT,
  MAX_STEPS_PER_FLUSH,
  SignalStore,
  type EngineCommit,
} from './signal-store.service';

const FIVE_MIN = 300_000;
const T0 = Date.UTC(2024, 7, 5);

/** Every statement the data source runs, with its parameters. */
class Recorder implements TypeOrmLogger {
  statements: Array<{ sql: string; params: unknown[] }> = [];
  logQuery(sql: string, params?: unknown[]): void {
    this.statements.push({ sql, params: params ?? [] });
  }
  logQueryError(): void {}
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}
  /** The statements whose text matches `pattern`. */
  matching(pattern: RegExp): Array<{ sql: string; params: unknown[] }> {
    return this.statements.filter((s) => pattern.test(s.sql));
  }
}

const STATE_UPDATE = /UPDATE engine_states/;
const STATE_INSERT = /INSERT INTO engine_states/;

const symbols = (n: number) => Array.from({ length: n }, (_, i) => `S${String(i).padStart(2, '0')}USDT`);

function snapshotAt(symbol: string, lastOpenTime: number) {
  return { ...new SignalEngine({ symbol, timeframe: '5m' }).snapshot(), lastOpenTime };
}

function step(symbol: string, expectedRevision: number, events: readonly EngineEvent[] = []): EngineCommit {
  return {
    symbol,
    timeframe: '5m',
    expectedRevision,
    snapshot: snapshotAt(symbol, T0 + expectedRevision * FIVE_MIN),
    events,
    marketTime: T0 + (expectedRevision + 1) * FIVE_MIN,
  };
}

/** A candle of a gently rising series: `i` candles after T0. */
function candle(i: number): MarketCandle {
  const price = 100 + i * 0.1;
  return {
    openTime: T0 + i * FIVE_MIN,
    closeTime: T0 + (i + 1) * FIVE_MIN - 1,
    open: price,
    high: price * 1.002,
    low: price * 0.998,
    close: price * 1.001,
    volume: 10,
    quoteVolume: 1_000,
  };
}

/** The scanner of one process over `store`, everything but the store in memory. */
function scannerOver(store: SignalStore): SignalScannerService {
  const config = { version: 1, config: DEFAULT_ENGINE_CONFIG };
  const engineConfig = {
    inForce: async () => config,
    get: async () => config.config,
    forgetCached: () => undefined,
  } as unknown as EngineConfigService;
  const candles = { before: async () => [], between: async () => [] } as unknown as CandleStore;
  const stamps = {
    stampsFor: async () => new Map(),
    remember: () => undefined,
  } as unknown as CreationStampService;
  const fine = {
    source: () => null,
    feed: async (engine: SignalEngine, c: MarketCandle) => engine.onClosedCandle(c),
  } as unknown as FineCandlePrefetch;
  const htf = { enabled: async () => false } as unknown as HtfTrendService;
  return new SignalScannerService(store, engineConfig, candles, stamps, fine, htf);
}

describe('SignalStore (engine steps written together)', () => {
  let dataSource: DataSource;
  const recorder = new Recorder();
  let store: SignalStore;

  beforeAll(async () => {
    // The app's database options on an in-memory PGlite (its migrations run at initialize).
    const options = await createTypeOrmOptions({ databaseUrl: null } as AppConfig, await PGlite.create());
    dataSource = new DataSource({
      ...(options as DataSourceOptions),
      entities: [EngineStateEntity, SignalEntity, SignalEventEntity],
      logger: recorder,
    });
    await dataSource.initialize();
  }, 60_000);

  afterAll(() => dataSource.destroy());

  beforeEach(async () => {
    await dataSource.query('TRUNCATE engine_states, signal_events, signals');
    store = new SignalStore(dataSource, new SignalChangeNotices());
    recorder.statements = [];
  });

  const revisions = async () =>
    Object.fromEntries(
      (
        await dataSource.query(
          `SELECT symbol, (state->>'revision')::int AS revision FROM engine_states ORDER BY symbol`,
        )
      ).map((row: { symbol: string; revision: number }) => [row.symbol, row.revision]),
    );

  it('writes the steps of one moment for N series with one INSERT, then one UPDATE', async () => {
    const names = symbols(20);
    const created = await Promise.all(names.map((symbol) => store.commit(step(symbol, 0))));
    expect(created.map((c) => c.revision)).toEqual(names.map(() => 1));
    expect(recorder.matching(STATE_INSERT)).toHaveLength(1);

    recorder.statements = [];
    const advanced = await Promise.all(names.map((symbol) => store.commit(step(symbol, 1))));
    expect(advanced.map((c) => c.revision)).toEqual(names.map(() => 2));
    // One statement for the 20 states: no transaction around it, nothing else.
    expect(recorder.statements.map((s) => s.sql.trim().split(/\s+/)[0])).toEqual(['WITH']);
    expect(recorder.matching(STATE_UPDATE)).toHaveLength(1);
    expect(await revisions()).toEqual(Object.fromEntries(names.map((s) => [s, 2])));
    const [row] = await dataSource.query(
      `SELECT last_candle_open_time FROM engine_states WHERE symbol = 'S07USDT'`,
    );
    expect(Number(row.last_candle_open_time)).toBe(T0 + FIVE_MIN);
  });

  it('refuses only the step whose revision moved; the others of its flush are written', async () => {
    const names = symbols(10);
    await Promise.all(names.map((symbol) => store.commit(step(symbol, 0))));
    // Another process advanced S04 meanwhile.
    await dataSource.query(
      `UPDATE engine_states SET state = jsonb_set(state::jsonb, '{revision}', '5') WHERE symbol = 'S04USDT'`,
    );
    recorder.statements = [];
    const outcomes = await Promise.allSettled(names.map((symbol) => store.commit(step(symbol, 1))));
    expect(recorder.matching(STATE_UPDATE)).toHaveLength(1);
    const refused = outcomes.flatMap((o, i) => (o.status === 'rejected' ? [[names[i], o.reason]] : []));
    expect(refused).toHaveLength(1);
    expect(refused[0][0]).toBe('S04USDT');
    expect(refused[0][1]).toBeInstanceOf(EngineStateConflictError);
    expect(refused[0][1]).toMatchObject({ expectedRevision: 1, actualRevision: 5 });
    expect(await revisions()).toEqual({
      ...Object.fromEntries(names.map((s) => [s, 2])),
      S04USDT: 5,
    });
  });

  it("writes several steps' signal changes in one transaction, each step its own events in seq order, none of a refused step", async () => {
    const names = symbols(4);
    await Promise.all(names.map((symbol) => store.commit(step(symbol, 0))));
    await dataSource.query(
      `UPDATE engine_states SET state = jsonb_set(state::jsonb, '{revision}', '3') WHERE symbol = 'S02USDT'`,
    );
    recorder.statements = [];
    const signals = names.map((symbol) => domainSignal({ symbol }));
    const outcomes = await Promise.allSettled(
      names.map((symbol, i) =>
        store.commit(
          step(symbol, 1, [
            { type: 'created', signal: signals[i] },
            { type: 'updated', signal: { ...signals[i], confidence: 80, version: 2 } },
          ]),
        ),
      ),
    );
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect(recorder.matching(/^START TRANSACTION|^BEGIN/)).toHaveLength(1);
    expect(recorder.matching(STATE_UPDATE)).toHaveLength(1);
    expect(recorder.matching(/INSERT INTO signal_events/)).toHaveLength(1);
    const written = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
    for (const [i, committed] of written.entries()) {
      expect(committed.events.map((e) => [e.type, e.signal.symbol, e.signal.version])).toEqual([
        ['created', ['S00USDT', 'S01USDT', 'S03USDT'][i], 1],
        ['updated', ['S00USDT', 'S01USDT', 'S03USDT'][i], 2],
      ]);
    }
    const seqs = written.flatMap((c) => c.events.map((e) => e.seq));
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    const stored = await dataSource.query(`SELECT seq, signal_id FROM signal_events ORDER BY seq`);
    expect(stored.map((r: { seq: string }) => Number(r.seq))).toEqual(seqs);
    const rows = await dataSource.query(`SELECT symbol, confidence FROM signals ORDER BY symbol`);
    expect(rows.map((r: { symbol: string }) => r.symbol)).toEqual(['S00USDT', 'S01USDT', 'S03USDT']);
  });

  it('a step that fails in a flush fails alone: the flush is written again step by step', async () => {
    const names = symbols(3);
    await Promise.all(names.map((symbol) => store.commit(step(symbol, 0))));
    const first = domainSignal({ symbol: 'S01USDT' });
    // A second ACTIVE signal of the same series: the partial unique index refuses the step.
    const second = domainSignal({
      symbol: 'S01USDT',
      candleOpenTime: first.candleOpenTime + FIVE_MIN,
      direction: 'SHORT',
    });
    const outcomes = await Promise.allSettled(
      names.map((symbol) =>
        store.commit(
          step(
            symbol,
            1,
            symbol === 'S01USDT'
              ? [
                  { type: 'created', signal: first },
                  { type: 'created', signal: second },
                ]
              : [{ type: 'created', signal: domainSignal({ symbol }) }],
          ),
        ),
      ),
    );
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((outcomes[1] as PromiseRejectedResult).reason.message).toMatch(/signals_one_active_idx/);
    expect(await revisions()).toEqual({ S00USDT: 2, S01USDT: 1, S02USDT: 2 });
    const rows = await dataSource.query(`SELECT symbol FROM signals ORDER BY symbol`);
    expect(rows.map((r: { symbol: string }) => r.symbol)).toEqual(['S00USDT', 'S02USDT']);
  });

  it('starts writing once FLUSH_AT_STEPS steps wait, a second flush beside it; a larger moment goes in flushes of at most MAX_STEPS_PER_FLUSH', async () => {
    const names = Array.from(
      { length: MAX_FLUSHES_IN_FLIGHT * FLUSH_AT_STEPS + MAX_STEPS_PER_FLUSH + 5 },
      (_, i) => `X${i}USDT`,
    );
    await Promise.all(names.map((symbol) => store.commit(step(symbol, 0))));
    // A flush goes as soon as FLUSH_AT_STEPS steps wait, up to MAX_FLUSHES_IN_FLIGHT at once; the steps
    // that came meanwhile follow in flushes as large as allowed.
    expect(recorder.matching(STATE_INSERT).map((s) => s.params.length / 4)).toEqual([
      ...Array(MAX_FLUSHES_IN_FLIGHT).fill(FLUSH_AT_STEPS),
      MAX_STEPS_PER_FLUSH,
      5,
    ]);
    expect(await dataSource.query(`SELECT count(*)::int AS n FROM engine_states`)).toEqual([
      { n: names.length },
    ]);
  });

  it('never has two flushes of one series in flight: its next step waits for the flush of the one before', async () => {
    const first = store.commit(step('Y0USDT', 0));
    const others = Array.from({ length: FLUSH_AT_STEPS - 1 }, (_, i) =>
      store.commit(step(`Y${i + 1}USDT`, 0)),
    );
    // The first flush is in flight with Y0USDT; a second step of Y0USDT among FLUSH_AT_STEPS new ones.
    const again = store.commit(step('Y0USDT', 1));
    const more = Array.from({ length: FLUSH_AT_STEPS }, (_, i) => store.commit(step(`Z${i}USDT`, 0)));
    await Promise.all([first, again, ...others, ...more]);
    const flushes = recorder.statements.filter(
      (s) => /engine_states/.test(s.sql) && /INSERT|UPDATE/.test(s.sql),
    );
    const withY0 = flushes.filter((s) => s.params.includes('Y0USDT'));
    expect(withY0).toHaveLength(2);
    expect(flushes.indexOf(withY0[1])).toBeGreaterThan(1);
    expect(await revisions()).toMatchObject({ Y0USDT: 2 });
  });

  it('a flush lost with its connection fails every step of it at once (no retry step by step)', async () => {
    const attempts: string[] = [];
    const lost = {
      manager: {
        query: async (sql: string) => {
          attempts.push(sql);
          throw new Error('Connection terminated unexpectedly');
        },
      },
    } as unknown as DataSource;
    const failing = new SignalStore(lost, new SignalChangeNotices());
    const outcomes = await Promise.allSettled(symbols(5).map((symbol) => failing.commit(step(symbol, 1))));
    expect(outcomes.map((o) => o.status)).toEqual(Array(5).fill('rejected'));
    expect(attempts).toHaveLength(1);
  });

  describe('through the scanner', () => {
    const names = symbols(12);

    /** The first candle of every series, through `scanner` (new engines). */
    async function start(scanner: SignalScannerService) {
      await Promise.all(
        names.map((symbol) =>
          scanner.processSymbol(symbol, '5m', { newClosed: [candle(0)], openCandle: null }),
        ),
      );
    }

    /** Per series: how many closed candles its stored engine has processed, and its revision. */
    const candlesSeen = async () =>
      Object.fromEntries(
        (await dataSource.getRepository(EngineStateEntity).find({ order: { symbol: 'ASC' } })).map((row) => [
          row.symbol,
          [row.state.snapshot.candles, row.state.revision],
        ]),
      );

    it('a close of N series is one UPDATE; a revision conflict on one row redoes only that series', async () => {
      const scanner = scannerOver(store);
      await start(scanner);
      expect(recorder.matching(STATE_INSERT)).toHaveLength(1);
      // Another process committed S05 (its state moved to revision 7, same candles).
      await dataSource.query(
        `UPDATE engine_states SET state = jsonb_set(state::jsonb, '{revision}', '7') WHERE symbol = 'S05USDT'`,
      );
      recorder.statements = [];
      await Promise.all(
        names.map((symbol) =>
          scanner.processSymbol(symbol, '5m', { newClosed: [candle(1)], openCandle: null }),
        ),
      );
      const updates = recorder.matching(STATE_UPDATE);
      // The flush of the 12 steps (5 parameters per row), then S05 alone, reloaded and redone.
      expect(updates.map((u) => u.params.length / 5)).toEqual([12, 1]);
      expect(updates[1].params.slice(0, 2)).toEqual(['S05USDT', '5m']);
      // Only S05's state was read again.
      const reads = recorder.matching(/FROM "engine_states"/);
      expect(reads.map((r) => r.params)).toEqual([['S05USDT', '5m']]);
      expect(await candlesSeen()).toEqual({
        ...Object.fromEntries(names.map((s) => [s, [2, 2]])),
        S05USDT: [2, 8],
      });
    });

    it('a candle another process already evaluated is not evaluated again', async () => {
      const scanner = scannerOver(store);
      await start(scanner);
      // The other process (its own store and engines) takes the close of S09 first.
      const other = scannerOver(new SignalStore(dataSource, new SignalChangeNotices()));
      await other.processSymbol('S09USDT', '5m', { newClosed: [candle(1)], openCandle: null });
      recorder.statements = [];
      await Promise.all(
        names.map((symbol) =>
          scanner.processSymbol(symbol, '5m', { newClosed: [candle(1)], openCandle: null }),
        ),
      );
      // S09 conflicted, was reloaded with candle 1 already in it, and had nothing left to write.
      expect(recorder.matching(STATE_UPDATE).map((u) => u.params.length / 5)).toEqual([12]);
      expect(await candlesSeen()).toEqual(Object.fromEntries(names.map((s) => [s, [2, 2]])));
    });
  });
});
