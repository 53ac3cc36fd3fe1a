import { InvalidStreamMessageError, type KlineUpdate, type StreamMessage } from './kline-stream-message';
import { SlidingWindowLimiter } from './sliding-window-limiter';
import { StreamAllocation } from './stream-allocation';
import { StreamConnection } from './stream-connection';

export type StreamClientState = 'idle' | 'connecting' | 'streaming' | 'degraded' | 'down';

export interface KlineStreamClientOptions {
  baseUrl: string;
  /** Streams per connection (Binance: at most 1024). */
  maxStreamsPerConnection?: number;
  /** Control messages per second and connection (Binance: 5 incoming per second, pongs included). */
  maxMessagesPerSecond?: number;
  /** Connection attempts per 5 minutes (Binance: 300 per IP). */
  maxAttemptsPer5Min?: number;
  /** Binance closes a connection after 24 h; we replace it this long before. */
  lifetimeMs?: number;
  rotateBeforeMs?: number;
  /** Kline pushes come every 2 s; a stream that misses one is stalled (known within 2 periods). */
  pushPeriodMs?: number;
  /** Reconnect backoff: base and cap (jittered, exponential). */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  now?: () => number;
  random?: () => number;
}

export interface KlineStreamHandlers {
  /** Every kline update; final candles (`x: true`) arrive once each, in order per stream. */
  onKline(update: KlineUpdate): void;
  /**
   * Streams live again: `connected` after a (re)connect or subscribe — what closed meanwhile must be
   * backfilled from REST; `resumed` after a stall on a connection that stayed open.
   */
  onStreamsUp(streams: string[], how: 'connected' | 'resumed'): void;
  /** Streams lost with a connection (or stalled): the caller falls back to REST for them. */
  onStreamsDown(streams: string[], reason: string): void;
  onStateChange?(state: StreamClientState, detail: string): void;
  onInvalidMessage?(error: InvalidStreamMessageError): void;
}

interface LiveConnection {
  id: number;
  connection: StreamConnection;
  rotating: boolean;
}

const DEFAULTS = {
  maxStreamsPerConnection: 1024,
  maxMessagesPerSecond: 4,
  maxAttemptsPer5Min: 300,
  lifetimeMs: 24 * 3_600_000,
  rotateBeforeMs: 15 * 60_000,
  pushPeriodMs: 2_000,
  backoffBaseMs: 1_000,
  backoffMaxMs: 60_000,
};

/**
 * Keeps Binance kline streams for a set of stream names across as few connections as the 1024-stream
 * rule allows, within Binance's message and connection-attempt limits. Connections are replaced
 * before their 24 h end (and on `serverShutdown`) by opening the successor first, so no final kline
 * is missed; a lost connection reconnects with jittered backoff and reports its streams down, then up,
 * so the caller backfills the gap from REST. Final klines are handed on once per candle.
 */
export class KlineStreamClient {
  private readonly options: Required<Omit<KlineStreamClientOptions, 'now' | 'random'>>;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly allocation: StreamAllocation;
  private readonly attempts: SlidingWindowLimiter;
  private readonly live = new Map<number, LiveConnection>();
  private readonly lastFinalOpenTime = new Map<string, number>();
  private readonly lastUpdateAt = new Map<string, number>();
  private readonly stalled = new Set<string>();
  private readonly failures = new Map<number, number>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private watchdog: NodeJS.Timeout | null = null;
  private chain: Promise<void> = Promise.resolve();
  private stopped = false;
  private state: StreamClientState = 'idle';

  constructor(
    options: KlineStreamClientOptions,
    private readonly handlers: KlineStreamHandlers,
  ) {
    this.options = { ...DEFAULTS, ...stripUndefined(options) } as Required<
      Omit<KlineStreamClientOptions, 'now' | 'random'>
    >;
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
    this.allocation = new StreamAllocation(this.options.maxStreamsPerConnection);
    this.attempts = new SlidingWindowLimiter(this.options.maxAttemptsPer5Min, 5 * 60_000);
  }

  /** Brings the subscriptions to exactly `wanted` (live subscribe/unsubscribe, no full reconnect). */
  setStreams(wanted: Iterable<string>): Promise<void> {
    const streams = [...wanted];
    return this.serialized(() => this.apply(streams));
  }

  start(): void {
    this.stopped = false;
    if (this.watchdog === null) {
      this.watchdog = setInterval(
        () => this.checkHealth(),
        Math.max(50, Math.floor(this.options.pushPeriodMs / 4)),
      );
      this.watchdog.unref?.();
    }
  }

  stop(): void {
    this.stopped = true;
    if (this.watchdog !== null) clearInterval(this.watchdog);
    this.watchdog = null;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const { connection } of this.live.values()) connection.close();
    this.live.clear();
    this.setState('idle', 'stopped');
  }

  status(): { state: StreamClientState; connections: number; streams: number; stalled: number } {
    return {
      state: this.state,
      connections: this.live.size,
      streams: this.allocation.size(),
      stalled: this.stalled.size,
    };
  }

  private async apply(wanted: string[]): Promise<void> {
    const plan = this.allocation.plan(wanted);
    const removed = new Set<string>();
    for (const id of plan.close) {
      for (const stream of this.allocation.streamsOf(id)) removed.add(stream);
      this.live.get(id)?.connection.close();
      this.live.delete(id);
    }
    for (const change of plan.changes) {
      const live = this.live.get(change.connectionId);
      change.unsubscribe.forEach((stream) => removed.add(stream));
      if (live === undefined || !live.connection.isOpen) continue;
      if (change.unsubscribe.length > 0) await live.connection.unsubscribe(change.unsubscribe);
      if (change.subscribe.length > 0) await live.connection.subscribe(change.subscribe);
    }
    this.allocation.commit(plan);
    for (const stream of removed) this.forget(stream);
    const added = plan.changes.flatMap((change) => change.subscribe);
    if (added.length > 0) this.markUp(added);
    for (const { connectionId, streams } of plan.open) {
      this.setState('connecting', `opening connection ${connectionId} for ${streams.length} streams`);
      await this.connect(connectionId, streams);
    }
    this.refreshState();
  }

  /** Opens (or re-opens) a connection for its allocated streams; failures schedule a retry. */
  private async connect(id: number, streams: readonly string[]): Promise<boolean> {
    if (this.stopped) return false;
    const wait = this.attempts.delayAt(this.now());
    if (wait > 0) {
      this.retryLater(
        id,
        wait,
        `connection attempts at Binance's limit (${this.options.maxAttemptsPer5Min} per 5 min)`,
      );
      return false;
    }
    this.attempts.record(this.now());
    const connection = this.newConnection(id);
    try {
      await connection.open(streams);
    } catch (error) {
      connection.close();
      const failures = (this.failures.get(id) ?? 0) + 1;
      this.failures.set(id, failures);
      this.retryLater(id, this.backoff(failures), (error as Error).message);
      return false;
    }
    if (this.stopped || !this.allocation.connections().includes(id)) {
      connection.close();
      return false;
    }
    this.failures.delete(id);
    this.live.set(id, { id, connection, rotating: false });
    this.markUp(this.allocation.streamsOf(id));
    this.scheduleRotation(id, connection);
    this.refreshState();
    return true;
  }

  private newConnection(id: number): StreamConnection {
    const connection: StreamConnection = new StreamConnection({
      baseUrl: this.options.baseUrl,
      maxMessagesPerSecond: this.options.maxMessagesPerSecond,
      now: this.now,
      onMessage: (message) => this.handle(id, message),
      onInvalid: (error) => this.handlers.onInvalidMessage?.(error),
      onClose: (code, reason) => {
        if (connection.closedOnPurpose) return;
        this.lost(id, connection, `closed by the exchange (${code}${reason ? ` ${reason}` : ''})`);
      },
    });
    return connection;
  }

  private handle(id: number, message: StreamMessage): void {
    if (message.kind === 'serverShutdown') {
      void this.serialized(() => this.rotate(id, 'serverShutdown'));
      return;
    }
    if (message.kind !== 'kline') return;
    const { update } = message;
    const at = this.now();
    this.lastUpdateAt.set(update.stream, at);
    if (this.stalled.delete(update.stream)) this.handlers.onStreamsUp([update.stream], 'resumed');
    if (update.final) {
      // During a rotation both connections deliver for a moment: one final kline per candle goes on.
      const last = this.lastFinalOpenTime.get(update.stream);
      if (last !== undefined && update.candle.openTime <= last) return;
      this.lastFinalOpenTime.set(update.stream, update.candle.openTime);
    }
    this.handlers.onKline(update);
  }

  /** A connection the exchange dropped: report its streams down and reconnect with backoff. */
  private lost(id: number, connection: StreamConnection, reason: string): void {
    const live = this.live.get(id);
    if (live === undefined || live.connection !== connection) return;
    this.live.delete(id);
    const streams = this.allocation.streamsOf(id);
    this.handlers.onStreamsDown(streams, reason);
    const failures = (this.failures.get(id) ?? 0) + 1;
    this.failures.set(id, failures);
    this.refreshState(reason);
    this.retryLater(id, this.backoff(failures), reason);
  }

  private retryLater(id: number, delayMs: number, reason: string): void {
    if (this.stopped) return;
    this.refreshState(`reconnecting in ${Math.round(delayMs)} ms: ${reason}`);
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.serialized(async () => {
        if (this.live.has(id) || !this.allocation.connections().includes(id)) return;
        await this.connect(id, this.allocation.streamsOf(id));
      });
    }, delayMs);
    timer.unref?.();
    this.timers.add(timer);
  }

  private scheduleRotation(id: number, connection: StreamConnection): void {
    const dueIn = Math.max(
      0,
      this.options.lifetimeMs -
        this.options.rotateBeforeMs -
        (this.now() - (connection.openedAt ?? this.now())),
    );
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.serialized(() => this.rotate(id, 'lifetime'));
    }, dueIn);
    timer.unref?.();
    this.timers.add(timer);
  }

  /** Opens the successor with the same streams first, then closes the old connection. */
  private async rotate(id: number, why: string): Promise<void> {
    const live = this.live.get(id);
    if (live === undefined || live.rotating || this.stopped) return;
    live.rotating = true;
    const newId = this.allocation.replace(id);
    const opened = await this.connect(newId, this.allocation.streamsOf(newId));
    // The old one goes even if the successor failed: it is about to be closed by the exchange anyway,
    // and the successor's retry (scheduled by connect) brings the streams back.
    live.connection.close();
    this.live.delete(id);
    if (!opened)
      this.handlers.onStreamsDown(
        this.allocation.streamsOf(newId),
        `rotation (${why}) failed to open the successor`,
      );
    this.refreshState();
  }

  /**
   * A stream that missed its next push (1.5 periods of silence) is stalled — with the watchdog's quarter
   * period, that is known within 2 push periods — and reported down until it speaks again.
   */
  private checkHealth(): void {
    const now = this.now();
    const limit = Math.floor(1.5 * this.options.pushPeriodMs);
    const newlyStalled: string[] = [];
    for (const [stream, at] of this.lastUpdateAt) {
      if (now - at > limit && !this.stalled.has(stream)) {
        this.stalled.add(stream);
        newlyStalled.push(stream);
      }
    }
    if (newlyStalled.length > 0) {
      this.handlers.onStreamsDown(newlyStalled, `no update for more than ${limit} ms`);
      this.refreshState();
    }
  }

  private markUp(streams: string[]): void {
    const now = this.now();
    for (const stream of streams) {
      this.lastUpdateAt.set(stream, now);
      this.stalled.delete(stream);
    }
    if (streams.length > 0) this.handlers.onStreamsUp(streams, 'connected');
  }

  private forget(stream: string): void {
    this.lastUpdateAt.delete(stream);
    this.lastFinalOpenTime.delete(stream);
    this.stalled.delete(stream);
  }

  private backoff(failures: number): number {
    const cap = Math.min(
      this.options.backoffMaxMs,
      this.options.backoffBaseMs * 2 ** Math.min(failures - 1, 16),
    );
    return Math.round(cap / 2 + (this.random() * cap) / 2);
  }

  private refreshState(detail = ''): void {
    if (this.stopped) return;
    const wanted = this.allocation.connections().length;
    if (wanted === 0) return this.setState('idle', detail || 'no streams');
    const open = [...this.live.values()].filter((live) => live.connection.isOpen).length;
    if (open === 0) return this.setState('down', detail || 'no connection open');
    if (open < wanted || this.stalled.size > 0)
      return this.setState(
        'degraded',
        detail || `${open}/${wanted} connections, ${this.stalled.size} stalled`,
      );
    this.setState('streaming', detail || `${open} connection(s), ${this.allocation.size()} streams`);
  }

  private setState(state: StreamClientState, detail: string): void {
    if (state === this.state) return;
    this.state = state;
    this.handlers.onStateChange?.(state, detail);
  }

  private serialized(work: () => Promise<void>): Promise<void> {
    const run = this.chain.then(work);
    this.chain = run.catch(() => undefined);
    return run;
  }
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
