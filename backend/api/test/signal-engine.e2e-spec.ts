import { runBacktest, SignalEngine, type Candle, type Signal as DomainSignal } from '@scanner/signal-core';
import { DataSource } from 'typeorm';
import { CandleStore } from '../src/market-data/candle-store';
import type { MarketCandle } from '../src/market-data/market-candle';
import { EngineStateEntity } from '../src/signal-engine/entities/engine-state.entity';
import { SignalEventEntity } from '../src/signal-engine/entities/signal-event.entity';
import { SignalEntity } from '../src/signal-engine/entities/signal.entity';
import { CreationStampService } from '../src/signal-engine/creation-stamps.service';
import { FineCandlePrefetch } from '../src/signal-engine/fine-candle-prefetch';
import { HtfTrendService } from '../src/signal-engine/htf-trend.service';
import { EngineConfigService } from '../src/signal-engine/engine-config.service';
import { SignalRetentionService } from '../src/signal-engine/signal-retention.service';
import { SignalScannerService } from '../src/signal-engine/signal-scanner.service';
import {
  closedSignal,
  domainSignal,
  TEST_STAMP,
  withoutStamp,
} from '../src/signal-engine/signal-engine.testing';
import { SignalStore } from '../src/signal-engine/signal-store.service';
import { toSignalEntity, toWireSignal } from '../src/signal-engine/signal.mapper';
import {
  simulatorCandles,
  startSignalEngineApp,
  storeCandles,
  type SignalEngineApp,
} from './support/signal-engine-app';
import { createTestEnvironment, type TestEnvironment } from './support/test-env';

const market = (c: Candle): MarketCandle => ({ ...c, quoteVolume: 0 });

describe('signal engine: store, live scanner parity with the backtest, restart', () => {
  let environment: TestEnvironment;
  let running: SignalEngineApp;
  let db: DataSource;

  beforeAll(async () => {
    environment = await createTestEnvironment({ redis: false });
    running = await startSignalEngineApp(environment.config());
    db = running.app.get(DataSource);
  });

  afterAll(async () => {
    await running?.close();
    await environment?.cleanup();
  });

  async function reset(): Promise<void> {
    await db.query(
      'TRUNCATE signals, signal_events, engine_states, candles, app_settings RESTART IDENTITY CASCADE',
    );
    // The engine config in force back to version 1 (the defaults here).
    await db.query('UPDATE scoring_versions SET active = false WHERE active AND id <> 1');
    await db.query('DELETE FROM scoring_versions WHERE id <> 1');
    await db.query('UPDATE scoring_versions SET active = true WHERE id = 1');
    running.app.get(SignalScannerService).dropCache();
  }

  async function storedSignals(symbol?: string): Promise<SignalEntity[]> {
    return db.getRepository(SignalEntity).find({ where: symbol ? { symbol } : {}, order: { id: 'ASC' } });
  }

  /** What the backtest's signals look like once stored: the same mapper the store uses. */
  const asStored = (signals: readonly DomainSignal[]) =>
    signals.map((s) => toSignalEntity(s, TEST_STAMP)).sort((a, b) => (a.id < b.id ? -1 : 1));
  const plain = (entities: SignalEntity[]) =>
    entities.map((e) => ({
      ...withoutStamp(toWireSignal(e)),
      maxFavorableR: e.maxFavorableR,
      maxAdverseR: e.maxAdverseR,
    }));

  describe('SignalStore', () => {
    beforeEach(reset);

    function snapshotAt(symbol: string, lastOpenTime: number) {
      return { ...new SignalEngine({ symbol, timeframe: '5m' }).snapshot(), lastOpenTime };
    }

    it('writes created -> updated -> closed as rows and events in seq order, with the engine state, in one transaction each', async () => {
      const store = running.app.get(SignalStore);
      const created = domainSignal();
      const updated = { ...created, confidence: 85, updatedAt: created.updatedAt + 300_000, version: 2 };
      const closed = closedSignal(updated, 'SL_HIT', 97, created.updatedAt + 600_000);
      const t0 = created.candleOpenTime;
      const a = await store.commit({
        symbol: 'BTCUSDT',
        timeframe: '5m',
        expectedRevision: 0,
        snapshot: snapshotAt('BTCUSDT', t0),
        events: [{ type: 'created', signal: created }],
      });
      const b = await store.commit({
        symbol: 'BTCUSDT',
        timeframe: '5m',
        expectedRevision: 1,
        snapshot: snapshotAt('BTCUSDT', t0 + 300_000),
        events: [{ type: 'updated', signal: updated }],
      });
      const c = await store.commit({
        symbol: 'BTCUSDT',
        timeframe: '5m',
        expectedRevision: 2,
        snapshot: snapshotAt('BTCUSDT', t0 + 600_000),
        events: [{ type: 'closed', signal: closed }],
      });
      expect([a.revision, b.revision, c.revision]).toEqual([1, 2, 3]);
      const seqs = [...a.events, ...b.events, ...c.events].map((e) => e.seq);
      expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
      const events = await db.getRepository(SignalEventEntity).find({ order: { seq: 'ASC' } });
      expect(events.map((e) => [e.type, e.payload.status, e.payload.version])).toEqual([
        ['created', 'ACTIVE', 1],
        ['updated', 'ACTIVE', 2],
        ['deleted', 'SL_HIT', 3],
      ]);
      expect(events[2].payload).toMatchObject({
        exitPrice: 97,
        outcomeR: -1,
        closedAt: '2024-08-05T00:14:59.999Z',
      });
      const [row] = await storedSignals();
      expect(toWireSignal(row)).toEqual(events[2].payload);
      // Market times, not the wall clock.
      expect(row.createdAt.toISOString()).toBe('2024-08-05T00:04:59.999Z');
      const state = await db
        .getRepository(EngineStateEntity)
        .findOneByOrFail({ symbol: 'BTCUSDT', timeframe: '5m' });
      expect(state).toMatchObject({ lastCandleOpenTime: t0 + 600_000, state: { revision: 3 } });
    });

    it('a failure mid-way leaves nothing behind: no row, no event, no engine state', async () => {
      const store = running.app.get(SignalStore);
      const first = domainSignal();
      // A second ACTIVE signal of the same symbol + timeframe: the partial unique index refuses it.
      const second = domainSignal({ candleOpenTime: first.candleOpenTime + 300_000, direction: 'SHORT' });
      await expect(
        store.commit({
          symbol: 'BTCUSDT',
          timeframe: '5m',
          expectedRevision: 0,
          snapshot: snapshotAt('BTCUSDT', 1),
          events: [
            { type: 'created', signal: first },
            { type: 'created', signal: second },
          ],
        }),
      ).rejects.toThrow(/signals_one_active_idx/);
      expect(await db.getRepository(SignalEntity).count()).toBe(0);
      expect(await db.getRepository(SignalEventEntity).count()).toBe(0);
      expect(await db.getRepository(EngineStateEntity).count()).toBe(0);
    });

    it('refuses a stale writer (another process advanced the engine) and writes nothing', async () => {
      const store = running.app.get(SignalStore);
      await store.commit({
        symbol: 'ETHUSDT',
        timeframe: '5m',
        expectedRevision: 0,
        snapshot: snapshotAt('ETHUSDT', 1),
        events: [],
      });
      const signal = domainSignal({ symbol: 'ETHUSDT' });
      await expect(
        store.commit({
          symbol: 'ETHUSDT',
          timeframe: '5m',
          expectedRevision: 0,
          snapshot: snapshotAt('ETHUSDT', 2),
          events: [{ type: 'created', signal }],
        }),
      ).rejects.toThrow('another worker advanced it');
      expect(await db.getRepository(SignalEventEntity).count()).toBe(0);
    });
  });

  describe('SignalScannerService', () => {
    const symbol = 'BTCUSDT';
    const candles = simulatorCandles(symbol, '5m');

    beforeEach(reset);

    async function feed(
      scanner: SignalScannerService,
      from: number,
      to: number,
      batch: number,
      ticks = false,
    ) {
      let events = 0;
      for (let i = from; i < to; i += batch) {
        const newClosed = candles.slice(i, Math.min(i + batch, to)).map(market);
        const next = i + batch < to ? candles[i + batch] : undefined;
        const result = await scanner.processSymbol(symbol, '5m', {
          newClosed,
          openCandle: ticks && next ? market(next) : null,
        });
        events += result.events.length;
      }
      return events;
    }

    it('PARITY: scanning the candles in batches stores exactly the signals and outcomes of runBacktest', async () => {
      const backtest = runBacktest({ [symbol]: candles }, undefined, { timeframe: '5m' });
      expect(backtest.signals.length).toBeGreaterThan(100);
      const written = await feed(running.app.get(SignalScannerService), 0, candles.length, 12);
      expect(plain(await storedSignals())).toEqual(plain(asStored(backtest.signals)));
      expect(written).toBe(await db.getRepository(SignalEventEntity).count());
      // Every signal's history starts with created, ends with deleted when closed, in version order.
      const events = await db.getRepository(SignalEventEntity).find({ order: { seq: 'ASC' } });
      const bySignal = new Map<string, SignalEventEntity[]>();
      for (const e of events) bySignal.set(e.signalId, [...(bySignal.get(e.signalId) ?? []), e]);
      for (const s of backtest.signals) {
        const history = bySignal.get(s.id)!;
        expect(history[0].type).toBe('created');
        expect(history.map((e) => e.payload.version)).toEqual(history.map((_, i) => i + 1));
        if (s.status !== 'ACTIVE')
          expect(history[history.length - 1]).toMatchObject({
            type: 'deleted',
            payload: { status: s.status, exitPrice: s.exitPrice, outcomeR: s.outcomeR },
          });
      }
    });

    it('re-scanning the same candles writes nothing (idempotent by candle open time)', async () => {
      const scanner = running.app.get(SignalScannerService);
      await feed(scanner, 0, 600, 50);
      const before = await db.query(
        'SELECT (SELECT count(*) FROM signal_events) AS events, (SELECT updated_at FROM engine_states) AS saved',
      );
      const again = await scanner.processSymbol(symbol, '5m', {
        newClosed: candles.slice(500, 600).map(market),
        openCandle: null,
      });
      expect(again).toMatchObject({ candlesProcessed: 0, events: [] });
      scanner.dropCache();
      await scanner.processSymbol(symbol, '5m', {
        newClosed: candles.slice(0, 600).map(market),
        openCandle: null,
      });
      expect(
        await db.query(
          'SELECT (SELECT count(*) FROM signal_events) AS events, (SELECT updated_at FROM engine_states) AS saved',
        ),
      ).toEqual(before);
    });

    it('RESTART: half the candles, the process stops, a new one (nothing in memory) does the rest -> the same final set', async () => {
      const half = Math.floor(candles.length / 2) + 7;
      await feed(running.app.get(SignalScannerService), 0, half, 25);
      // A real restart: the app closes and a new one starts on the same database (PGlite too).
      await running.close();
      running = await startSignalEngineApp(environment.config());
      db = running.app.get(DataSource);
      await feed(running.app.get(SignalScannerService), half, candles.length, 25);
      const backtest = runBacktest({ [symbol]: candles }, undefined, { timeframe: '5m' });
      expect(plain(await storedSignals())).toEqual(plain(asStored(backtest.signals)));
    });

    /** Another worker's scanner: its own engine cache, the same database and providers. */
    const anotherWorkersScanner = () =>
      new SignalScannerService(
        running.app.get(SignalStore),
        running.app.get(EngineConfigService),
        running.app.get(CandleStore),
        running.app.get(CreationStampService),
        running.app.get(FineCandlePrefetch),
        running.app.get(HtfTrendService),
      );

    it('a scanner whose cached engine is behind the database reloads it instead of double-processing', async () => {
      const first = running.app.get(SignalScannerService);
      const other = anotherWorkersScanner();
      await feed(first, 0, 400, 50);
      await feed(other, 400, 800, 50);
      await feed(first, 800, 1200, 50); // its cache stopped at 400
      await feed(other, 1200, 1300, 50); // and this one's at 800
      const backtest = runBacktest({ [symbol]: candles.slice(0, 1300) }, undefined, { timeframe: '5m' });
      expect(plain(await storedSignals())).toEqual(plain(asStored(backtest.signals)));
    });

    it('a close on a cached engine reads no engine state; a step with nothing to commit confirms the revision first', async () => {
      const first = running.app.get(SignalScannerService);
      const store = running.app.get(SignalStore);
      await feed(first, 0, 400, 50);
      const loads = jest.spyOn(store, 'loadState');
      const revisions = jest.spyOn(store, 'revisionOf');
      try {
        await feed(first, 400, 500, 50);
        expect(loads).not.toHaveBeenCalled();
        expect(revisions).not.toHaveBeenCalled();
        // Another worker moves the series on; a step of the first that would commit nothing (candles its
        // engine has seen) finds its engine behind and reloads it.
        await feed(anotherWorkersScanner(), 500, 600, 50); // (the same store: its reads are counted too)
        loads.mockClear();
        revisions.mockClear();
        const again = await first.processSymbol(symbol, '5m', {
          newClosed: candles.slice(450, 500).map(market),
          openCandle: null,
        });
        expect(again).toMatchObject({ candlesProcessed: 0, events: [] });
        expect(revisions).toHaveBeenCalledTimes(1);
        expect(loads).toHaveBeenCalledTimes(1);
        await feed(first, 600, 700, 50);
        expect(loads).toHaveBeenCalledTimes(1);
      } finally {
        loads.mockRestore();
        revisions.mockRestore();
      }
      const backtest = runBacktest({ [symbol]: candles.slice(0, 700) }, undefined, { timeframe: '5m' });
      expect(plain(await storedSignals())).toEqual(plain(asStored(backtest.signals)));
    });

    it('two scanners racing on the same symbol: one wins each step, the other reloads; no duplicate events', async () => {
      const first = running.app.get(SignalScannerService);
      const other = anotherWorkersScanner();
      for (let i = 0; i < 1000; i += 40) {
        const update = { newClosed: candles.slice(i, i + 40).map(market), openCandle: null };
        await Promise.all([
          first.processSymbol(symbol, '5m', update),
          other.processSymbol(symbol, '5m', update),
        ]);
      }
      const backtest = runBacktest({ [symbol]: candles.slice(0, 1000) }, undefined, { timeframe: '5m' });
      expect(plain(await storedSignals())).toEqual(plain(asStored(backtest.signals)));
      const [{ n }] = await db.query(
        "SELECT count(*)::int AS n FROM (SELECT signal_id, payload->>'version' FROM signal_events GROUP BY 1, 2 HAVING count(*) > 1) d",
      );
      expect(n).toBe(0);
    });

    it('with open-candle ticks, TP/SL are seen within the scan: same signals and outcomes, closed at the tick', async () => {
      const n = 2000;
      await feed(running.app.get(SignalScannerService), 0, n, 1, true);
      const backtest = asStored(
        runBacktest({ [symbol]: candles.slice(0, n) }, undefined, { timeframe: '5m' }).signals,
      );
      const stored = await storedSignals();
      expect(stored.map((s) => s.id)).toEqual(backtest.map((s) => s.id));
      let earlier = 0;
      stored.forEach((s, i) => {
        const b = backtest[i];
        const { updatedAt: _u, closedAt: _c, ...rest } = withoutStamp(toWireSignal(s));
        const { updatedAt: _bu, closedAt: _bc, ...expected } = withoutStamp(toWireSignal(b));
        expect(rest).toEqual(expected);
        if (s.status === 'TP_HIT' || s.status === 'SL_HIT') {
          // The tick is the open time of the candle that reached the level, before its close.
          expect(s.closedAt!.getTime()).toBe(b.closedAt!.getTime() - 299_999);
          earlier++;
        } else {
          expect(s.closedAt).toEqual(b.closedAt);
        }
      });
      expect(earlier).toBeGreaterThan(10);
    });

    it('warms a new engine from the stored candles when it has no state', async () => {
      await storeCandles(db, symbol, candles.slice(0, 1200));
      const result = await running.app
        .get(SignalScannerService)
        .processSymbol(symbol, '5m', { newClosed: candles.slice(1200, 1201).map(market), openCandle: null });
      expect(result.candlesProcessed).toBe(1001);
      const state = await db.getRepository(EngineStateEntity).findOneByOrFail({ symbol, timeframe: '5m' });
      expect(state.lastCandleOpenTime).toBe(candles[1200].openTime);
      expect(state.state.snapshot.candles).toBe(1001);
      // Same as the backtest over exactly those candles.
      const backtest = runBacktest({ [symbol]: candles.slice(200, 1201) }, undefined, { timeframe: '5m' });
      expect(plain(await storedSignals())).toEqual(plain(asStored(backtest.signals)));
    });

    it('uses the engine config stored in app_settings, validated', async () => {
      const config = running.app.get(EngineConfigService);
      await expect(config.set({ minConfidence: 0 })).rejects.toThrow('minConfidence');
      const stored = await config.set({ minConfidence: 85, expiryCandles: 6 });
      expect(await config.get()).toEqual(stored);
      await feed(running.app.get(SignalScannerService), 0, 2000, 100);
      const backtest = runBacktest({ [symbol]: candles.slice(0, 2000) }, stored, { timeframe: '5m' });
      expect(plain(await storedSignals())).toEqual(plain(asStored(backtest.signals)));
      expect((await storedSignals()).every((s) => s.confidence >= 85 || s.version > 1)).toBe(true);
    });
  });

  describe('SignalRetentionService', () => {
    beforeEach(reset);

    it('purges closed signals (and their events) older than the retention, never active ones', async () => {
      const store = running.app.get(SignalStore);
      const old = domainSignal({ symbol: 'AAAUSDT' });
      const recent = domainSignal({ symbol: 'BBBUSDT', candleOpenTime: Date.UTC(2024, 9, 1) });
      const active = domainSignal({ symbol: 'CCCUSDT' });
      const snap = (s: string) => ({
        ...new SignalEngine({ symbol: s, timeframe: '5m' }).snapshot(),
        lastOpenTime: 1,
      });
      await store.commit({
        symbol: 'AAAUSDT',
        timeframe: '5m',
        expectedRevision: 0,
        snapshot: snap('AAAUSDT'),
        events: [
          { type: 'created', signal: old },
          { type: 'closed', signal: closedSignal(old, 'EXPIRED', 101, old.createdAt + 3_600_000) },
        ],
      });
      await store.commit({
        symbol: 'BBBUSDT',
        timeframe: '5m',
        expectedRevision: 0,
        snapshot: snap('BBBUSDT'),
        events: [
          { type: 'created', signal: recent },
          { type: 'closed', signal: closedSignal(recent, 'TP_HIT', 105, recent.createdAt + 600_000) },
        ],
      });
      await store.commit({
        symbol: 'CCCUSDT',
        timeframe: '5m',
        expectedRevision: 0,
        snapshot: snap('CCCUSDT'),
        events: [{ type: 'created', signal: active }],
      });
      const purged = await running.app
        .get(SignalRetentionService)
        .purgeClosedOlderThan(30, new Date(Date.UTC(2024, 9, 15)));
      expect(purged).toBe(1);
      expect((await storedSignals()).map((s) => s.symbol)).toEqual(['BBBUSDT', 'CCCUSDT']);
      expect(await db.getRepository(SignalEventEntity).countBy({ signalId: old.id })).toBe(0);
    });

    it('judges retention on market time: a replaying exchange’s past is kept, the real present is not moved', async () => {
      const retention = running.app.get(SignalRetentionService);
      const host = new Date(Date.UTC(2026, 11, 2));
      expect(await retention.marketNow(host)).toEqual(host); // no event yet: the host's clock
      const signal = domainSignal({ symbol: 'DDDUSDT' });
      const marketTime = Date.UTC(2024, 7, 5, 12);
      await running.app.get(SignalStore).commit({
        symbol: 'DDDUSDT',
        timeframe: '5m',
        expectedRevision: 0,
        snapshot: { ...new SignalEngine({ symbol: 'DDDUSDT', timeframe: '5m' }).snapshot(), lastOpenTime: 1 },
        events: [{ type: 'created', signal }],
        marketTime,
      });
      expect((await retention.marketNow(host)).getTime()).toBe(marketTime);
      // Never later than the host's clock.
      expect(await retention.marketNow(new Date(marketTime - 1))).toEqual(new Date(marketTime - 1));
    });
  });
});
