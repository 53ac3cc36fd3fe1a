import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { MarketDataStatus } from '@scanner/contracts';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { AppConfig } from '../../config';
import { MetricsService } from '../../metrics';
import { CandleStore } from '../candle-store';
import { CandleSyncService } from '../candle-sync.service';
import { UniverseService } from '../universe.service';
import { KlineStreamClient } from './kline-stream-client';
import { klineStreamName } from './kline-stream-message';
import { StreamCandleIngest, type MarketStreamListener } from './stream-candle-ingest';
import { StreamCoordinator, type StreamStatus } from './stream-coordinator';

export type { MarketStreamListener, StreamedCandles, StreamedTick } from './stream-candle-ingest';

/** The stream lease lasts this long without renewal (at the default STREAM_TAKEOVER_MS). */
export const STREAM_LEASE_TTL_MS = 24_000;

/**
 * The lease's TTL and how often every worker process tries for it (the holder renews, the others try to
 * take it): a dead holder's lease lapses within the TTL and the next try takes it, so the streams are
 * back within `takeoverMs`. The holder gets four renewals before its lease could lapse.
 */
export function leaseTiming(takeoverMs: number): { ttlMs: number; tryEveryMs: number } {
  const tryEveryMs = Math.floor(takeoverMs / 5);
  return { ttlMs: takeoverMs - tryEveryMs, tryEveryMs };
}
const UNIVERSE_CHECK_MS = 5_000;
const STATUS_PUBLISH_MS = 5_000;

/**
 * Binance kline streams for every universe symbol × SCAN_TIMEFRAMES (MARKET_DATA_SOURCE=stream), held by
 * one process of the deployment (a lease in Redis; without Redis, the single process): the lease, the
 * stream client following the universe, and the status every process reads. What the streams carry
 * goes through StreamCandleIngest (closed candles stored and evaluated in order, REST for the gaps).
 */
@Injectable()
export class MarketStreamService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(MarketStreamService.name);
  private readonly holder = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  private readonly listeners: MarketStreamListener[] = [];
  private readonly ingest: StreamCandleIngest;
  private client: KlineStreamClient | null = null;
  private leaseTimer: NodeJS.Timeout | null = null;
  private universeTimer: NodeJS.Timeout | null = null;
  private statusTimer: NodeJS.Timeout | null = null;
  private detail = '';
  private shuttingDown = false;

  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    private readonly coordinator: StreamCoordinator,
    private readonly universe: UniverseService,
    store: CandleStore,
    sync: CandleSyncService,
    metrics: MetricsService,
  ) {
    this.ingest = new StreamCandleIngest(store, sync, metrics, this.listeners);
  }

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
    this.leaseTimer = setInterval(tryLease, leaseTiming(this.config.streamTakeoverMs).tryEveryMs);
    this.leaseTimer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    this.shuttingDown = true;
    if (this.leaseTimer !== null) clearInterval(this.leaseTimer);
    this.stopStreaming('shutting down');
    await this.ingest.drain();
    await this.coordinator.release(this.holder).catch(() => undefined);
  }

  private async renewLease(): Promise<void> {
    if (this.shuttingDown) return;
    const held = await this.coordinator.acquire(this.holder, leaseTiming(this.config.streamTakeoverMs).ttlMs);
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
        onKline: (update) => this.ingest.onKline(update),
        // After a stall on an open connection, a final that never came is caught by the next update.
        onStreamsUp: (streams, how) =>
          how === 'connected' ? this.ingest.backfill(streams, 'streams (re)connected') : undefined,
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
        ...this.ingest.progress(),
        detail: this.detail,
        reportedAt: Date.now(),
      })
      .catch((error: Error) => this.logger.warn(`publishing stream status: ${error.message}`));
  }
}
