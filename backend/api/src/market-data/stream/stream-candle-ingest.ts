import { Logger } from '@nestjs/common';
import type { BinanceInterval } from '../../config';
import type { MetricsService } from '../../metrics';
import { type CandleStore, seriesKey } from '../candle-store';
import type { CandleSyncService } from '../candle-sync.service';
import { intervalMs } from '../interval-ms';
import type { MarketCandle } from '../market-candle';
import { WorkSlots } from '../work-slots';
import type { KlineUpdate } from './kline-stream-message';

/** Closed candles of one series, in order, ready for the engine (already stored). */
export interface StreamedCandles {
  symbol: string;
  interval: BinanceInterval;
  newClosed: MarketCandle[];
  /** Host ms when the final kline that triggered this arrived (null for a REST backfill). */
  receivedAt: number | null;
  /** Host ms when the candles were stored. */
  storedAt: number;
  /** Exchange time the final kline was pushed at (`E`), or null for a backfill. */
  eventTime: number | null;
}

/** A live update of a still-open candle. */
export interface StreamedTick {
  symbol: string;
  interval: BinanceInterval;
  candle: MarketCandle;
  /** Exchange time of the push (`E`): when the price was seen. */
  eventTime: number;
}

/** Who consumes the streams (the signal engine): closed candles in order per series, and live ticks. */
export interface MarketStreamListener {
  onClosedCandles(batch: StreamedCandles): Promise<void>;
  onTick(tick: StreamedTick): void;
}

/** How far the newest streamed candle is through the engine (the holder's status report). */
export interface IngestProgress {
  lastFinalCloseTime: number | null;
  lastEvaluationLagMs: number | null;
  lastEvaluatedAt: number | null;
}

/**
 * Closes of one instant evaluated at once. Their engine states (and signal changes) are written together
 * (SignalStore's group commit), so this bounds the engine work in flight, not database connections; a
 * step holds its slot until its flush is committed, so it is a few flushes' worth: the engine computes
 * the next steps while the database writes a flush.
 */
export const ENGINE_SLOTS = 512;
/**
 * Series catching up at once (REST, the engine's replay of what it fetched), plus one backfill sync:
 * within the database pool of 10.
 */
export const CATCH_UP_SLOTS = 6;
/**
 * Final klines arriving within this long are stored with one INSERT; those that arrive while it is in
 * flight are stored by the next one (one INSERT of finals in flight: a close instant's thousands of
 * finals take a few statements, not one per few milliseconds, and leave the pool to the engine's writes).
 */
const INSERT_BATCH_MS = 3;
/** A backfill syncs this many series per REST sync, and hands each sync's series to the engine as it ends. */
export const BACKFILL_SERIES_PER_SYNC = 64;
/**
 * Backfill syncs fetched ahead of the engine: a sync starts only once the one this many places before it
 * (in the order of every backfill of the process: a cold start backfills each connection at once) is
 * through the engine, so thousands of series hold a few syncs' candles in memory, not all of them.
 */
const BACKFILL_SYNCS_AHEAD = 2;

/**
 * The candles of the streams, from a kline to the engine: a final kline (`x: true`) is stored (one
 * INSERT for the finals of the moment) and handed to the listeners at once if it follows the stored
 * series; when its predecessor is missing (a dropped connection, a skipped final, a new series) the
 * series is first brought up to date from REST, in order, so the engine never sees a candle before the
 * ones that came earlier. Unfinished klines are never stored: they go on as ticks (live price, TP/SL).
 * Work is serialized per series; only the engine step and REST take one of the work slots (a close's
 * step one of many, a catch-up one of a few).
 */
export class StreamCandleIngest {
  private readonly logger = new Logger('StreamCandleIngest');
  private readonly lastStored = new Map<string, number>();
  /** Open time of the newest final kline that arrived per series (set on arrival, before it is stored). */
  private readonly lastFinalSeen = new Map<string, number>();
  private readonly queues = new Map<string, Promise<void>>();
  private readonly slots = new WorkSlots(ENGINE_SLOTS, CATCH_UP_SLOTS);
  /**
   * Backfill syncs run one at a time, in order, beside the slots (the next one fetches while the engine
   * works): the last one queued, and the chunks of the last BACKFILL_SYNCS_AHEAD through the engine.
   */
  private lastSync: Promise<unknown> = Promise.resolve();
  private readonly recentlyThrough: Array<Promise<unknown>> = [];
  private pendingInserts: Array<{
    symbol: string;
    interval: string;
    candle: MarketCandle;
    done: (error?: Error) => void;
  }> = [];
  private insertTimer: NodeJS.Timeout | null = null;
  private inserting = false;
  private lastFinalCloseTime: number | null = null;
  private lastEvaluationLagMs: number | null = null;
  private lastEvaluatedAt: number | null = null;

  constructor(
    private readonly store: CandleStore,
    private readonly sync: CandleSyncService,
    private readonly metrics: MetricsService,
    private readonly listeners: readonly MarketStreamListener[],
  ) {}

  progress(): IngestProgress {
    return {
      lastFinalCloseTime: this.lastFinalCloseTime,
      lastEvaluationLagMs: this.lastEvaluationLagMs,
      lastEvaluatedAt: this.lastEvaluatedAt,
    };
  }

  /** Settles once every series' queued work is done (shutdown). */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.queues.values()]);
  }

  onKline(update: KlineUpdate): void {
    const interval = update.interval as BinanceInterval;
    const key = seriesKey(update.symbol, interval);
    if (!update.final) {
      // A new candle is trading but the final kline of the one before never came (a skipped final):
      // REST has it now; fetch it instead of waiting for the next close to reveal the hole.
      const previous = update.candle.openTime - intervalMs(interval);
      const seen = this.lastFinalSeen.get(key);
      if (seen !== undefined && previous > seen) {
        this.lastFinalSeen.set(key, previous);
        this.backfill([update.stream], 'a final kline never came');
      }
      for (const listener of this.listeners)
        listener.onTick({
          symbol: update.symbol,
          interval,
          candle: update.candle,
          eventTime: update.eventTime,
        });
      return;
    }
    this.lastFinalSeen.set(key, Math.max(this.lastFinalSeen.get(key) ?? 0, update.candle.openTime));
    const receivedAt = Date.now();
    this.serialized(update.symbol, interval, () => this.closeCandle(update, interval, receivedAt));
  }

  /**
   * Catches the series of `streams` up from REST (after a (re)connect, a skipped final): syncs of
   * BACKFILL_SERIES_PER_SYNC series one after the other (batched inserts, requests within
   * BINANCE_REST_CONCURRENCY), each sync's series handed to the engine as soon as it ends, while the
   * next sync fetches. Each series' queue is held until its own candles are through, so a final kline
   * that arrives meanwhile is evaluated after the candles before it.
   */
  backfill(streams: readonly string[], why: string): void {
    if (streams.length === 0) return;
    const byInterval = new Map<BinanceInterval, string[]>();
    for (const stream of streams) {
      const [lower, interval] = stream.split('@kline_');
      const symbols = byInterval.get(interval as BinanceInterval) ?? [];
      symbols.push(lower.toUpperCase());
      byInterval.set(interval as BinanceInterval, symbols);
    }
    this.logger.debug({ msg: 'backfilling from REST', why, series: streams.length });
    const chunks: Array<{ interval: BinanceInterval; symbols: string[] }> = [];
    for (const [interval, symbols] of byInterval)
      for (let start = 0; start < symbols.length; start += BACKFILL_SERIES_PER_SYNC)
        chunks.push({ interval, symbols: symbols.slice(start, start + BACKFILL_SERIES_PER_SYNC) });
    for (const { interval, symbols } of chunks) {
      const ahead = this.recentlyThrough.length >= BACKFILL_SYNCS_AHEAD ? this.recentlyThrough[0] : null;
      const synced = Promise.allSettled([this.lastSync, ahead]).then(() => this.syncChunk(symbols, interval));
      this.lastSync = synced.catch(() => undefined);
      this.recentlyThrough.push(
        Promise.allSettled(
          symbols.map((symbol) =>
            this.serialized(symbol, interval, () => this.deliverBackfilled(symbol, interval, synced)),
          ),
        ),
      );
      if (this.recentlyThrough.length > BACKFILL_SYNCS_AHEAD) this.recentlyThrough.shift();
    }
  }

  private async syncChunk(
    symbols: readonly string[],
    interval: BinanceInterval,
  ): Promise<Map<string, MarketCandle[]>> {
    const results = new Map<string, MarketCandle[]>();
    for (const result of await this.sync.sync(symbols, [interval])) {
      if (result.error !== undefined)
        this.logger.warn({ msg: 'REST backfill', symbol: result.symbol, interval, error: result.error });
      results.set(seriesKey(result.symbol, interval), result.newClosed);
    }
    return results;
  }

  private async deliverBackfilled(
    symbol: string,
    interval: BinanceInterval,
    synced: Promise<Map<string, MarketCandle[]>>,
  ): Promise<void> {
    const key = seriesKey(symbol, interval);
    const results = await synced;
    const newClosed = results.get(key) ?? [];
    // The chunk's candles are not needed once handed over: memory stays flat through a cold start.
    results.delete(key);
    if (newClosed.length === 0) return;
    const newest = newClosed[newClosed.length - 1].openTime;
    this.lastStored.set(key, newest);
    this.lastFinalSeen.set(key, Math.max(this.lastFinalSeen.get(key) ?? 0, newest));
    await this.slots.run(false, () =>
      this.deliver({ symbol, interval, newClosed, receivedAt: null, storedAt: Date.now(), eventTime: null }),
    );
  }

  /**
   * A final kline: stored (batched with the others of the moment) and evaluated if it follows the stored
   * series, else the series is caught up from REST first. Only the engine step and REST take a work slot.
   */
  private async closeCandle(
    update: KlineUpdate,
    interval: BinanceInterval,
    receivedAt: number,
  ): Promise<void> {
    const key = seriesKey(update.symbol, interval);
    const last = await this.lastStoredOpenTime(update.symbol, interval);
    if (last !== undefined && update.candle.openTime <= last) return;
    const step = intervalMs(interval);
    let newClosed: MarketCandle[];
    if (last !== undefined && update.candle.openTime === last + step) {
      await this.insertSoon(update.symbol, interval, update.candle);
      newClosed = [update.candle];
    } else {
      newClosed = await this.slots.run(false, () => this.fromRest(update.symbol, interval));
      // REST may not list a candle closed a moment ago yet: the stream's final kline completes it.
      const newest = newClosed.at(-1)?.openTime ?? this.lastStored.get(key);
      if (newest !== undefined && update.candle.openTime === newest + step) {
        await this.insertSoon(update.symbol, interval, update.candle);
        newClosed.push(update.candle);
      }
    }
    if (newClosed.length === 0) return;
    this.lastStored.set(key, newClosed[newClosed.length - 1].openTime);
    const storedAt = Date.now();
    this.metrics.streamCandleLag.observe({ stage: 'stored' }, (storedAt - receivedAt) / 1000);
    await this.slots.run(true, () =>
      this.deliver({
        symbol: update.symbol,
        interval,
        newClosed,
        receivedAt,
        storedAt,
        eventTime: update.eventTime,
      }),
    );
    this.lastFinalCloseTime = Math.max(this.lastFinalCloseTime ?? 0, update.candle.closeTime);
    this.lastEvaluatedAt = Date.now();
    this.lastEvaluationLagMs = this.lastEvaluatedAt - receivedAt;
    this.metrics.streamCandleLag.observe({ stage: 'evaluated' }, this.lastEvaluationLagMs / 1000);
  }

  private async fromRest(symbol: string, interval: BinanceInterval): Promise<MarketCandle[]> {
    const [result] = await this.sync.sync([symbol], [interval]);
    if (result.error !== undefined)
      this.logger.warn({ msg: 'REST backfill', symbol, interval, error: result.error });
    return result.newClosed;
  }

  private async lastStoredOpenTime(symbol: string, interval: BinanceInterval): Promise<number | undefined> {
    const key = seriesKey(symbol, interval);
    if (!this.lastStored.has(key)) {
      const stored = (await this.slots.run(true, () => this.store.lastOpenTimes([symbol], [interval]))).get(
        key,
      );
      if (stored !== undefined) this.lastStored.set(key, stored);
    }
    return this.lastStored.get(key);
  }

  private async deliver(batch: StreamedCandles): Promise<void> {
    for (const listener of this.listeners) await listener.onClosedCandles(batch);
  }

  /** The final klines of one moment, stored with one statement (a 4h close brings every stream at once). */
  private insertSoon(symbol: string, interval: string, candle: MarketCandle): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pendingInserts.push({
        symbol,
        interval,
        candle,
        done: (error) => (error ? reject(error) : resolve()),
      });
      if (!this.inserting) this.insertTimer ??= setTimeout(() => void this.flushInserts(), INSERT_BATCH_MS);
    });
  }

  private async flushInserts(): Promise<void> {
    this.insertTimer = null;
    this.inserting = true;
    while (this.pendingInserts.length > 0) {
      const taken = this.pendingInserts;
      this.pendingInserts = [];
      try {
        await this.store.insert(
          taken.map(({ symbol, interval, candle }) => ({ symbol, interval, candles: [candle] })),
        );
        taken.forEach((item) => item.done());
      } catch (error) {
        taken.forEach((item) => item.done(error as Error));
      }
    }
    this.inserting = false;
  }

  /**
   * One series at a time, in arrival order; a failure is logged and the next update catches the series
   * up from REST. The returned promise settles when this work is done (it never rejects).
   */
  private serialized(symbol: string, interval: string, work: () => Promise<void>): Promise<void> {
    const key = seriesKey(symbol, interval);
    const run = (this.queues.get(key) ?? Promise.resolve()).then(work).catch((error: Error) => {
      this.lastStored.delete(key);
      this.logger.error({
        msg: 'stream candle not processed; REST fills it on the next one',
        symbol,
        interval,
        error: error.message,
      });
    });
    this.queues.set(key, run);
    void run.finally(() => {
      if (this.queues.get(key) === run) this.queues.delete(key);
    });
    return run;
  }
}
