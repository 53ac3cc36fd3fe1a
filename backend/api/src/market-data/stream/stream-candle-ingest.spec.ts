import type { MetricsService } from '../../metrics';
import type { CandleStore } from '../candle-store';
import type { CandleSyncService } from '../candle-sync.service';
import type { MarketCandle, SeriesSyncResult } from '../market-candle';
import type { KlineUpdate } from './kline-stream-message';
import {
  BACKFILL_SERIES_PER_SYNC,
  CATCH_UP_SLOTS,
  StreamCandleIngest,
  type MarketStreamListener,
  type StreamedCandles,
} from './stream-candle-ingest';

const FIVE_MIN = 300_000;
const T0 = Date.UTC(2024, 7, 5);

const candle = (openTime: number): MarketCandle => ({
  openTime,
  closeTime: openTime + FIVE_MIN - 1,
  open: 1,
  high: 2,
  low: 0.5,
  close: 1.5,
  volume: 10,
  quoteVolume: 15,
});

const symbolName = (i: number) => `S${String(i).padStart(3, '0')}USDT`;

/** REST: three closed candles for every series it is asked for (stored, as CandleSyncService does). */
class FakeSync {
  readonly calls: string[][] = [];
  sync(symbols: readonly string[], intervals: readonly string[]): Promise<SeriesSyncResult[]> {
    this.calls.push([...symbols]);
    return Promise.resolve(
      symbols.map((symbol) => ({
        symbol,
        interval: intervals[0] as SeriesSyncResult['interval'],
        newClosed: [candle(T0), candle(T0 + FIVE_MIN), candle(T0 + 2 * FIVE_MIN)],
        openCandle: null,
      })),
    );
  }
}

class FakeStore {
  readonly inserted: number[] = [];
  /** Rows of each INSERT, and how many were in flight at most. */
  readonly statements: number[] = [];
  inFlight = 0;
  maxInFlight = 0;
  /** Each INSERT takes this long (ms). */
  insertMs = 0;
  /** The newest stored open time of every series asked about (none: nothing stored). */
  storedUpTo: number | null = null;
  lastOpenTimes(symbols: readonly string[], intervals: readonly string[]): Promise<Map<string, number>> {
    const stored = this.storedUpTo;
    if (stored === null) return Promise.resolve(new Map());
    return Promise.resolve(
      new Map(symbols.flatMap((symbol) => intervals.map((interval) => [`${symbol}|${interval}`, stored]))),
    );
  }
  async insert(batches: ReadonlyArray<{ candles: readonly MarketCandle[] }>): Promise<number> {
    this.statements.push(batches.length);
    this.maxInFlight = Math.max(this.maxInFlight, ++this.inFlight);
    if (this.insertMs > 0) await new Promise((resolve) => setTimeout(resolve, this.insertMs));
    this.inFlight--;
    for (const batch of batches) this.inserted.push(...batch.candles.map((c) => c.openTime));
    return batches.length;
  }
}

/** The engine: records what it gets; while `hold` is set its steps wait for `release()`. */
class FakeEngine implements MarketStreamListener {
  readonly batches: StreamedCandles[] = [];
  hold = false;
  readonly waiting: Array<() => void> = [];
  async onClosedCandles(batch: StreamedCandles): Promise<void> {
    if (this.hold) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.batches.push(batch);
  }
  onTick(): void {}
  release(): void {
    this.hold = false;
    this.waiting.splice(0).forEach((resolve) => resolve());
  }
}

const metrics = { streamCandleLag: { observe: () => undefined } } as unknown as MetricsService;

function setup() {
  const sync = new FakeSync();
  const store = new FakeStore();
  const engine = new FakeEngine();
  const ingest = new StreamCandleIngest(
    store as unknown as CandleStore,
    sync as unknown as CandleSyncService,
    metrics,
    [engine],
  );
  return { sync, store, engine, ingest };
}

async function until(probe: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('StreamCandleIngest', () => {
  it('backfills a cold start in REST syncs of BACKFILL_SERIES_PER_SYNC series, each series handed to the engine once, in order', async () => {
    const { sync, engine, ingest } = setup();
    const streams = Array.from({ length: 200 }, (_, i) => `${symbolName(i).toLowerCase()}@kline_5m`);
    ingest.backfill(streams, 'test');
    await until(() => engine.batches.length === 200, 'every series through the engine');
    await ingest.drain();
    expect(sync.calls.map((symbols) => symbols.length)).toEqual([
      BACKFILL_SERIES_PER_SYNC,
      BACKFILL_SERIES_PER_SYNC,
      BACKFILL_SERIES_PER_SYNC,
      200 - 3 * BACKFILL_SERIES_PER_SYNC,
    ]);
    expect(engine.batches.map((b) => b.symbol).sort()).toEqual(
      Array.from({ length: 200 }, (_, i) => symbolName(i)),
    );
    for (const batch of engine.batches) {
      expect(batch.newClosed.map((c) => c.openTime)).toEqual([T0, T0 + FIVE_MIN, T0 + 2 * FIVE_MIN]);
      expect(batch.receivedAt).toBeNull();
    }
  });

  it('fetches at most two syncs ahead of the engine: a slow engine holds the rest of a cold start back', async () => {
    const { sync, engine, ingest } = setup();
    engine.hold = true;
    const streams = Array.from(
      { length: 5 * BACKFILL_SERIES_PER_SYNC },
      (_, i) => `${symbolName(i).toLowerCase()}@kline_5m`,
    );
    ingest.backfill(streams, 'test');
    await until(() => sync.calls.length === 2, 'the first two syncs');
    // The engine has not finished the first sync's series: the third sync waits for them.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(sync.calls).toHaveLength(2);
    engine.release();
    await until(() => engine.batches.length === streams.length, 'every series through the engine');
    expect(sync.calls).toHaveLength(5);
  });

  it('keeps that bound across backfills: connections coming up together share it', async () => {
    const { sync, engine, ingest } = setup();
    engine.hold = true;
    const streams = (offset: number) =>
      Array.from(
        { length: 3 * BACKFILL_SERIES_PER_SYNC },
        (_, i) => `${symbolName(offset + i).toLowerCase()}@kline_5m`,
      );
    ingest.backfill(streams(0), 'first connection');
    ingest.backfill(streams(3 * BACKFILL_SERIES_PER_SYNC), 'second connection');
    await until(() => sync.calls.length === 2, 'the first two syncs');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(sync.calls).toHaveLength(2);
    engine.release();
    await until(
      () => engine.batches.length === 6 * BACKFILL_SERIES_PER_SYNC,
      'every series through the engine',
    );
    expect(sync.calls).toHaveLength(6);
  });

  it("evaluates a close instant's finals wide at once, while catch-ups stay within CATCH_UP_SLOTS", async () => {
    const { store, engine, ingest } = setup();
    store.storedUpTo = T0;
    engine.hold = true;
    const closes = 40;
    for (let i = 0; i < closes; i++) {
      const symbol = symbolName(i);
      ingest.onKline({
        stream: `${symbol.toLowerCase()}@kline_5m`,
        symbol,
        interval: '5m',
        eventTime: T0 + 2 * FIVE_MIN + 5,
        final: true,
        candle: candle(T0 + FIVE_MIN),
      });
    }
    // Every close's engine step is under way together (their commits are written together).
    await until(() => engine.waiting.length === closes, 'every close at the engine');
    engine.release();
    await ingest.drain();
    expect(engine.batches.map((b) => b.newClosed.map((c) => c.openTime))).toEqual(
      Array.from({ length: closes }, () => [T0 + FIVE_MIN]),
    );

    // A backfill of as many series: its replays reach the engine a few at a time.
    engine.hold = true;
    const streams = Array.from({ length: closes }, (_, i) => `${symbolName(100 + i).toLowerCase()}@kline_5m`);
    ingest.backfill(streams, 'test');
    await until(() => engine.waiting.length === CATCH_UP_SLOTS, 'the first catch-ups at the engine');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(engine.waiting).toHaveLength(CATCH_UP_SLOTS);
    engine.release();
    await until(() => engine.batches.length === 2 * closes, 'every backfilled series through the engine');
  });

  it('a final kline arriving during the backfill of its series is evaluated after the backfilled candles', async () => {
    const { store, engine, ingest } = setup();
    engine.hold = true;
    ingest.backfill(['btcusdt@kline_5m'], 'test');
    await until(() => engine.waiting.length === 1, 'the backfilled candles at the engine');
    const update: KlineUpdate = {
      stream: 'btcusdt@kline_5m',
      symbol: 'BTCUSDT',
      interval: '5m',
      eventTime: T0 + 3 * FIVE_MIN + 5,
      final: true,
      candle: candle(T0 + 3 * FIVE_MIN),
    };
    ingest.onKline(update);
    engine.release();
    await until(() => engine.batches.length === 2, 'both steps');
    await ingest.drain();
    expect(engine.batches.map((b) => b.newClosed.map((c) => c.openTime))).toEqual([
      [T0, T0 + FIVE_MIN, T0 + 2 * FIVE_MIN],
      [T0 + 3 * FIVE_MIN],
    ]);
    // The streamed final follows the backfilled series: stored as it is, no REST call for it.
    expect(store.inserted).toEqual([T0 + 3 * FIVE_MIN]);
    expect(engine.batches[1].receivedAt).not.toBeNull();
  });

  it('stores the finals that arrive while an INSERT is in flight with the next one: one INSERT at a time', async () => {
    const { store, engine, ingest } = setup();
    store.storedUpTo = T0;
    store.insertMs = 40;
    const final = (i: number): KlineUpdate => ({
      stream: `${symbolName(i).toLowerCase()}@kline_5m`,
      symbol: symbolName(i),
      interval: '5m',
      eventTime: T0 + 2 * FIVE_MIN + 5,
      final: true,
      candle: candle(T0 + FIVE_MIN),
    });
    ingest.onKline(final(0));
    await until(() => store.inFlight === 1, 'the first INSERT in flight');
    // A close instant's finals keep arriving, a few milliseconds apart, while it is written.
    for (let i = 1; i < 30; i++) {
      ingest.onKline(final(i));
      if (i % 5 === 0) await new Promise((resolve) => setTimeout(resolve, 4));
    }
    await until(() => engine.batches.length === 30, 'every close through the engine');
    expect(store.maxInFlight).toBe(1);
    expect(store.statements).toEqual([1, 29]);
    expect(store.inserted).toHaveLength(30);
  });
});
