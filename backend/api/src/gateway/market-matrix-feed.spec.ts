import {
  MARKET_TICK_MAX_CELLS,
  type MarketMatrixCell,
  type MarketMatrixSnapshot,
  type MarketMatrixTick,
} from '@scanner/contracts';
import { DEFAULT_ENGINE_CONFIG, resolveEngineConfig, type EngineConfig } from '@scanner/signal-core';
import type {
  EngineStateListener,
  MarketMatrixService,
  MatrixRevision,
  MatrixStateRow,
} from '../signal-engine';
import {
  chunkCells,
  MarketMatrixFeed,
  MATRIX_MIN_STEP_MS,
  MATRIX_SAFETY_REFRESH_MS,
} from './market-matrix-feed';

const cell = (symbol: string, timeframe: string, long: number | null = null): MarketMatrixCell => ({
  symbol,
  timeframe,
  long,
  short: null,
  active: null,
  trend: null,
  rsi: null,
  close: null,
  asOf: null,
});

/**
 * A stand-in for the stored engine states: rows without indicators (so cells are empty) whose `active`
 * is what a test changes; a row's revision goes up with every change, like engine_states'.
 */
class FakeMatrix {
  symbolList = ['BTCUSDT', 'ETHUSDT'];
  config: EngineConfig = DEFAULT_ENGINE_CONFIG;
  rows = new Map<string, MatrixStateRow>();
  reads = 0;
  private clock = 1_000;

  set(symbol: string, timeframe: string, active: 'LONG' | 'SHORT' | null): void {
    const key = `${symbol}|${timeframe}`;
    const revision = (this.rows.get(key)?.revision ?? 0) + 1;
    this.clock += 1;
    this.rows.set(key, {
      symbol,
      timeframe,
      revision,
      lastOpenTime: null,
      indicators: null,
      active,
      updatedAt: new Date(this.clock),
    });
  }
  timeframes = () => ['5m', '1h'];
  symbols = async () => [...this.symbolList];
  engineConfigInForce = async () => this.config;
  revisionsSince = async (since: Date | null): Promise<MatrixRevision[]> => {
    this.reads++;
    return [...this.rows.values()]
      .filter((r) => since === null || r.updatedAt > since)
      .map((r) => ({
        symbol: r.symbol,
        timeframe: r.timeframe,
        revision: r.revision,
        updatedAt: r.updatedAt,
      }));
  };
  states = async (symbols: readonly string[]): Promise<MatrixStateRow[]> => {
    this.reads++;
    return [...this.rows.values()].filter((r) => symbols.includes(r.symbol));
  };
}

/** `LISTEN engine_states` as the feed sees it: `notify()` is a committed write of engine states. */
class FakeListener {
  private wake: (() => void) | null = null;
  stopped = false;
  start = async (wake: () => void) => {
    this.wake = wake;
  };
  stop = async () => {
    this.stopped = true;
  };
  notify(): void {
    this.wake?.();
  }
}

function feedWith(fake: FakeMatrix, subscribers = 1, safetyRefreshMs = 3_600_000) {
  const listener = new FakeListener();
  const feed = new MarketMatrixFeed(
    fake as unknown as MarketMatrixService,
    listener as unknown as EngineStateListener,
  );
  const ticks: MarketMatrixTick[] = [];
  let count = subscribers;
  feed.bind({ tick: (t) => ticks.push(t), subscribers: () => count }, safetyRefreshMs);
  const subscribe = async () => {
    let snapshot: MarketMatrixSnapshot | null = null;
    await feed.subscribe((s) => (snapshot = s));
    return snapshot as unknown as MarketMatrixSnapshot;
  };
  return { feed, listener, ticks, subscribe, setSubscribers: (n: number) => (count = n) };
}

describe('MarketMatrixFeed', () => {
  it('a subscription gets the whole matrix; a poll then sends only the changed cells, seq by seq', async () => {
    const fake = new FakeMatrix();
    fake.set('BTCUSDT', '5m', null);
    const { feed, ticks, subscribe } = feedWith(fake);
    const snapshot = await subscribe();
    expect(snapshot.cells.map((c) => `${c.symbol} ${c.timeframe}`)).toEqual([
      'BTCUSDT 5m',
      'BTCUSDT 1h',
      'ETHUSDT 5m',
      'ETHUSDT 1h',
    ]);
    expect(snapshot.seq).toBe(0);

    await feed.poll();
    expect(ticks).toEqual([]);

    fake.set('ETHUSDT', '1h', 'SHORT');
    fake.set('BTCUSDT', '5m', null); // a new revision that shows nothing new: not sent
    await feed.poll();
    expect(ticks).toEqual([{ seq: 1, cells: [{ ...cell('ETHUSDT', '1h'), active: 'SHORT' }] }]);

    fake.set('BTCUSDT', '1h', 'LONG');
    await feed.poll();
    expect(ticks.map((t) => t.seq)).toEqual([1, 2]);
    expect(ticks[1].cells).toEqual([{ ...cell('BTCUSDT', '1h'), active: 'LONG' }]);

    // A later subscriber's snapshot carries the changes and the seq it reflects.
    const later = await subscribe();
    expect(later.seq).toBe(2);
    expect(later.cells[1].active).toBe('LONG');
    expect(later.cells[3].active).toBe('SHORT');
  });

  it('reads nothing while nobody is subscribed, and starts over from a full read', async () => {
    const fake = new FakeMatrix();
    const { feed, ticks, subscribe, setSubscribers } = feedWith(fake, 0);
    await feed.poll();
    expect(fake.reads).toBe(0);
    setSubscribers(1);
    await subscribe();
    fake.set('BTCUSDT', '5m', 'LONG');
    setSubscribers(0);
    const reads = fake.reads;
    await feed.poll();
    expect(fake.reads).toBe(reads);
    expect(ticks).toEqual([]);
    setSubscribers(1);
    expect((await subscribe()).cells[0].active).toBe('LONG');
  });

  it('a universe change sends the new symbol list with the changed cells', async () => {
    const fake = new FakeMatrix();
    const { feed, ticks, subscribe } = feedWith(fake);
    await subscribe();
    fake.symbolList = ['BTCUSDT', 'SOLUSDT'];
    fake.set('SOLUSDT', '5m', 'SHORT');
    // The universe is re-read every 15 s: step past it.
    const now = Date.now();
    const spy = jest.spyOn(Date, 'now').mockReturnValue(now + 16_000);
    try {
      await feed.poll();
    } finally {
      spy.mockRestore();
    }
    expect(ticks).toHaveLength(1);
    expect(ticks[0].symbols).toEqual(['BTCUSDT', 'SOLUSDT']);
    expect(ticks[0].cells.map((c) => `${c.symbol} ${c.timeframe} ${c.active}`)).toEqual([
      'SOLUSDT 5m SHORT',
      'SOLUSDT 1h null',
    ]);
  });

  it('an engine config change rescoring nothing visible sends nothing', async () => {
    const fake = new FakeMatrix();
    const { feed, ticks, subscribe } = feedWith(fake);
    await subscribe();
    fake.config = resolveEngineConfig({ minConfidence: 80 });
    await feed.poll();
    expect(ticks).toEqual([]);
  });

  describe('driven by engine_states notifications, not by a 1 s poll', () => {
    /** Lets the feed's promise chain run (setImmediate is not faked). */
    const settle = () => new Promise((resolve) => setImmediate(resolve));
    const advance = async (ms: number) => {
      await jest.advanceTimersByTimeAsync(ms);
      await settle();
    };
    beforeEach(() => jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] }));
    afterEach(() => jest.useRealTimers());

    it('reads nothing while no state is written, and sends the changed cells as soon as a write is notified', async () => {
      const fake = new FakeMatrix();
      const { feed, listener, ticks, subscribe } = feedWith(fake, 1, MATRIX_SAFETY_REFRESH_MS);
      await feed.onApplicationBootstrap();
      await subscribe();
      const reads = fake.reads;
      await advance(MATRIX_SAFETY_REFRESH_MS - 1);
      expect(fake.reads).toBe(reads);

      fake.set('ETHUSDT', '5m', 'LONG');
      listener.notify();
      await advance(0);
      expect(ticks).toEqual([{ seq: 1, cells: [{ ...cell('ETHUSDT', '5m'), active: 'LONG' }] }]);
      await feed.onModuleDestroy();
      expect(listener.stopped).toBe(true);
    });

    it('a burst of notifications costs one check per MATRIX_MIN_STEP_MS, and the last write is never missed', async () => {
      const fake = new FakeMatrix();
      const { feed, listener, ticks, subscribe } = feedWith(fake);
      await feed.onApplicationBootstrap();
      await subscribe();
      fake.set('BTCUSDT', '5m', 'LONG');
      listener.notify();
      await advance(0);
      const reads = fake.reads;
      expect(ticks).toHaveLength(1);

      // A close instant: many series saved, each notifying, within one step interval.
      for (const [i, symbol] of ['BTCUSDT', 'ETHUSDT', 'BTCUSDT', 'ETHUSDT'].entries()) {
        fake.set(symbol, '1h', i % 2 === 0 ? 'SHORT' : 'LONG');
        listener.notify();
        await advance(100);
      }
      expect(fake.reads).toBe(reads);
      await advance(MATRIX_MIN_STEP_MS);
      // One revision check and one read of the changed states for the whole burst.
      expect(fake.reads).toBe(reads + 2);
      expect(ticks).toHaveLength(2);
      expect(ticks[1].cells.map((c) => `${c.symbol} ${c.timeframe} ${c.active}`)).toEqual([
        'BTCUSDT 1h SHORT',
        'ETHUSDT 1h LONG',
      ]);
      await feed.onModuleDestroy();
    });

    it('ignores notifications while nobody is subscribed', async () => {
      const fake = new FakeMatrix();
      const { feed, listener } = feedWith(fake, 0);
      await feed.onApplicationBootstrap();
      fake.set('BTCUSDT', '5m', 'LONG');
      listener.notify();
      await advance(MATRIX_MIN_STEP_MS);
      expect(fake.reads).toBe(0);
      await feed.onModuleDestroy();
    });

    it('a lost notification is made up by the slow safety refresh', async () => {
      const fake = new FakeMatrix();
      const { feed, ticks, subscribe } = feedWith(fake, 1, MATRIX_SAFETY_REFRESH_MS);
      await feed.onApplicationBootstrap();
      await subscribe();
      fake.set('ETHUSDT', '1h', 'SHORT');
      await advance(MATRIX_SAFETY_REFRESH_MS - 1);
      expect(ticks).toEqual([]);
      await advance(1);
      expect(ticks).toEqual([{ seq: 1, cells: [{ ...cell('ETHUSDT', '1h'), active: 'SHORT' }] }]);
      await feed.onModuleDestroy();
    });
  });

  it('splits a large change into ticks of at most MARKET_TICK_MAX_CELLS cells', () => {
    const cells = Array.from({ length: 2 * MARKET_TICK_MAX_CELLS + 5 }, (_, i) => cell(`S${i}`, '5m', i));
    const chunks = chunkCells(cells);
    expect(chunks.map((c) => c.length)).toEqual([MARKET_TICK_MAX_CELLS, MARKET_TICK_MAX_CELLS, 5]);
    expect(chunks.flat()).toEqual(cells);
  });
});
