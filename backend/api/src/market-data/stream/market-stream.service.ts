import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { MarketDataStatus } from '@scanner/contracts';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { AppConfig, type BinanceInterval } from '../../config';
import { MetricsService } from '../../metrics';
import { CandleStore, seriesKey } from '../candle-store';
import { CandleSyncService } from '../candle-sync.service';
import { intervalMs } from '../interval-ms';
import type { MarketCandle } from '../market-candle';
import { UniverseService } from '../universe.service';
import { KlineStreamClient } from './kline-stream-client';
import { klineStreamName, type KlineUpdate } from './kline-stream-message';
import { StreamCoordinator, type StreamStatus } from './stream-coordinator';
import { WorkSlots } from '../work-slots';

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

/** The stream lease lasts this long without renewal: another process takes over within it. */
export const STREAM_LEASE_TTL_MS = 30_000;
const LEASE_RENEW_MS = 10_000;
const UNIVERSE_CHECK_MS = 5_000;
const STATUS_PUBLISH_MS = 5_000;
/** Series worked on at once (store, engine, REST catch-up): within the database pool of 10. */
const SERIES_SLOTS = 6;
/** Final klines arriving within this long are stored with one INSERT. */
const INSERT_BATCH_MS = 3;

/**
 * Binance kline streams for every universe symbol × SCAN_TIMEFRAMES (MARKET_DATA_SOURCE=stream), held by
 * one process of the deployment (a lease in Redis; without Redis, the single process). A final kline
 * (`x: true`) is stored and handed to the listener at once; when its predecessor is missing (a dropped
 * connection, a skipped final, a new series) the series is first brought up to date from REST, in
 * order, so the engine never sees a candle before the ones that came earlier. Unfinished klines are
 * never stored: they go on as ticks (live price, TP/SL).
 */
@Injectable()
export class MarketStreamService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(MarketStreamService.name);
  private readonly holder = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  private readonly listeners: MarketStreamListener[] = [];
  private readonly lastStored = new Map<string, number>();
  /** Open time of the newest final kline that arrived per series (set on arrival, before it is stored). */
  private readonly lastFinalSeen = new Map<string, number>();
  private readonly queues = new Map<string, Promise<void>>();
  private readonly slots = new WorkSlots(SERIES_SLOTS);
  private pendingInserts: Array<{
    symbol: string;
    interval: string;
    candle: MarketCandle;
    done: (error?: Error) => void;
  }> = [];
  private insertTimer: NodeJS.Timeout | null = null;
  private client: KlineStreamClient | null = null;
  private leaseTimer: NodeJS.Timeout | null = null;
  private universeTimer: NodeJS.Timeout | null = null;
  private statusTimer: NodeJS.Timeout | null = null;
  private detail = '';
  private lastFinalCloseTime: number | null = null;
  private lastEvaluationLagMs: number | null = null;
  private lastEvaluatedAt: number | null = null;
  private shuttingDown = false;

  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    private readonly coordinator: StreamCoordinator,
    private readonly universe: UniverseService,
    private readonly store: CandleStore,
    private readonly sync: CandleSyncService,
    private readonly metrics: MetricsService,
  ) {}

  /** The engine registers here; streams start only in a process that evaluates (all / worker). */
  subscribe(listener: MarketStreamListener): void {
    this.listeners.push(listener);
  }

  /** What the stream holder last reported (any process), or null when nobody streams. */
  status(now = Date.now()): Promise<StreamStatus | null> {
    return this.coordinator.status(now);
  }

  /** The market-data source as the dashboard and readiness tell it (any process). */
  async marketDataStatus(now = Date.now()): Promise<MarketDataStatus> {
    const idle = {
      connections: 0,
      streams: 0,
      lastEvaluationLagMs: null,
      lastStreamedCloseAt: null,
      lastEvaluatedAt: null,
    };
    if (!this.enabled)
      return {
        source: 'poll',
        state: 'polling',
        ...idle,
        detail: 'MARKET_DATA_SOURCE=poll: REST scans every tick',
      };
    const status = await this.status(now);
    if (status === null)
      return {
        source: 'stream',
        state: 'polling',
        ...idle,
        detail: 'stream down, polling: no process holds the streams',
      };
    const streamed = {
      connections: status.connections,
      streams: status.streams,
      lastEvaluationLagMs: status.lastEvaluationLagMs,
      lastStreamedCloseAt:
        status.lastFinalCloseTime === null ? null : new Date(status.lastFinalCloseTime + 1).toISOString(),
      lastEvaluatedAt:
        status.lastEvaluatedAt === null ? null : new Date(status.lastEvaluatedAt).toISOString(),
    };
    if (status.state === 'streaming')
      return { source: 'stream', state: 'streaming', ...streamed, detail: status.detail };
    if (status.state === 'degraded')
      return {
        source: 'stream',
        state: 'degraded',
        ...streamed,
        detail: `some streams down, REST fills them: ${status.detail}`,
      };
    return {
      source: 'stream',
      state: 'polling',
      ...streamed,
      detail: `stream down, polling: ${status.detail}`,
    };
  }

  get enabled(): boolean {
    return this.config.marketDataSource === 'stream';
  }

  onApplicationBootstrap(): void {
    if (!this.enabled || !this.config.runsWorkers) return;
    const tryLease = (): void =>
      void this.renewLease().catch((error: Error) => this.logger.warn(`stream lease: ${error.message}`));
    tryLease();
    this.leaseTimer = setInterval(tryLease, LEASE_RENEW_MS);
    this.leaseTimer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    this.shuttingDown = true;
    if (this.leaseTimer !== null) clearInterval(this.leaseTimer);
    this.stopStreaming('shutting down');
    await Promise.allSettled([...this.queues.values()]);
    await this.coordinator.release(this.holder).catch(() => undefined);
  }

  private async renewLease(): Promise<void> {
    if (this.shuttingDown) return;
    const held = await this.coordinator.acquire(this.holder, STREAM_LEASE_TTL_MS);
    if (held && this.client === null) await this.startStreaming();
    if (!held && this.client !== null) this.stopStreaming('the stream lease went to another process');
  }

  private async startStreaming(): Promise<void> {
    this.logger.log({
      msg: 'holding the Binance streams',
      holder: this.holder,
      url: this.config.binanceWsUrl,
    });
    this.client = new KlineStreamClient(
      { baseUrl: this.config.binanceWsUrl, maxStreamsPerConnection: this.config.binanceWsMaxStreams },
      {
        onKline: (update) => this.onKline(update),
        // After a stall on an open connection, a final that never came is caught by the next update.
        onStreamsUp: (streams, how) =>
          how === 'connected' ? this.backfill(streams, 'streams (re)connected') : undefined,
        onStreamsDown: (streams, reason) =>
          this.logger.warn({
            msg: 'streams down: REST fills what they miss',
            streams: streams.length,
            reason,
          }),
        onStateChange: (_state, detail) => {
          this.detail = detail;
          void this.publish();
        },
        onInvalidMessage: (error) => this.logger.warn(error.message),
      },
    );
    this.client.start();
    await this.followUniverse();
    this.universeTimer = setInterval(() => void this.followUniverse(), UNIVERSE_CHECK_MS);
    this.universeTimer.unref();
    this.statusTimer = setInterval(() => void this.publish(), STATUS_PUBLISH_MS);
    this.statusTimer.unref();
  }

  private stopStreaming(reason: string): void {
    if (this.client === null) return;
    this.logger.log({ msg: 'releasing the Binance streams', reason });
    if (this.universeTimer !== null) clearInterval(this.universeTimer);
    if (this.statusTimer !== null) clearInterval(this.statusTimer);
    this.client.stop();
    this.client = null;
  }

  /** Subscribes exactly the universe × timeframes; a universe change moves only what changed. */
  private async followUniverse(): Promise<void> {
    const client = this.client;
    if (client === null) return;
    try {
      const symbols = await this.universe.symbols();
      const wanted = symbols.flatMap((symbol) =>
        this.config.scanTimeframes.map((tf) => klineStreamName(symbol, tf)),
      );
      await client.setStreams(wanted);
    } catch (error) {
      this.logger.warn(`following the universe: ${(error as Error).message}`);
    }
  }

  private onKline(update: KlineUpdate): void {
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

  /**
   * After a (re)connect: the affected series are caught up from REST in one sync (batched inserts,
   * requests within BINANCE_REST_CONCURRENCY), each series' queue held until it is done, so a final
   * kline that arrives meanwhile is evaluated after the candles before it.
   */
  private backfill(streams: string[], why: string): void {
    if (streams.length === 0) return;
    const series = streams.map((stream) => {
      const [lower, interval] = stream.split('@kline_');
      return { symbol: lower.toUpperCase(), interval: interval as BinanceInterval };
    });
    this.logger.debug({ msg: 'backfilling from REST', why, series: series.length });
    const byInterval = new Map<BinanceInterval, string[]>();
    for (const { symbol, interval } of series)
      byInterval.set(interval, [...(byInterval.get(interval) ?? []), symbol]);
    const synced = this.slots.run(false, async () => {
      const results = new Map<string, MarketCandle[]>();
      for (const [interval, symbols] of byInterval) {
        for (const result of await this.sync.sync(symbols, [interval])) {
          if (result.error !== undefined)
            this.logger.warn({ msg: 'REST backfill', symbol: result.symbol, interval, error: result.error });
          results.set(seriesKey(result.symbol, interval), result.newClosed);
        }
      }
      return results;
    });
    for (const { symbol, interval } of series) {
      this.serialized(symbol, interval, async () => {
        const newClosed = (await synced).get(seriesKey(symbol, interval)) ?? [];
        if (newClosed.length === 0) return;
        const newest = newClosed[newClosed.length - 1].openTime;
        const key = seriesKey(symbol, interval);
        this.lastStored.set(key, newest);
        this.lastFinalSeen.set(key, Math.max(this.lastFinalSeen.get(key) ?? 0, newest));
        await this.slots.run(false, () =>
          this.deliver({
            symbol,
            interval,
            newClosed,
            receivedAt: null,
            storedAt: Date.now(),
            eventTime: null,
          }),
        );
      });
    }
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
      this.insertTimer ??= setTimeout(() => void this.flushInserts(), INSERT_BATCH_MS);
    });
  }

  private async flushInserts(): Promise<void> {
    this.insertTimer = null;
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

  /** One series at a time, in arrival order; a failure is logged and the next update catches the series up from REST. */
  private serialized(symbol: string, interval: string, work: () => Promise<void>): void {
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
  }

  private async publish(): Promise<void> {
    const client = this.client;
    if (client === null) return;
    const status = client.status();
    await this.coordinator
      .publish({
        state: status.state,
        holder: this.holder,
        connections: status.connections,
        streams: status.streams,
        stalled: status.stalled,
        lastFinalCloseTime: this.lastFinalCloseTime,
        lastEvaluationLagMs: this.lastEvaluationLagMs,
        lastEvaluatedAt: this.lastEvaluatedAt,
        detail: this.detail,
        reportedAt: Date.now(),
      })
      .catch((error: Error) => this.logger.warn(`publishing stream status: ${error.message}`));
  }
}
