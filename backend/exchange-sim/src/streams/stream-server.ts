import { IncomingMessage, Server } from 'node:http';
import { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { FaultInjector } from '../fault-injector';
import { KlineInterval, intervalMs } from '../intervals';
import { MarketSchedule } from '../market-faults';
import { SymbolCatalog } from '../symbol-catalog';
import { ConnectionAttemptLimiter } from './connection-attempt-limiter';
import { ChannelContext, KlineChannel } from './kline-channel';
import {
  ConnectionLimits,
  DisconnectReason,
  StreamConnection,
  StreamConnectionInfo,
} from './stream-connection';
import { parseStreamName } from './stream-names';

export interface StreamServerOptions {
  /** Serve the streams on their own port (0 = ephemeral) instead of the REST port. */
  port?: number;
  /** Real ms between two looks at the clocks (pushes, pings, deadlines). Default 25. */
  tickMs?: number;
  /** Binance: 1024. */
  maxStreamsPerConnection?: number;
  /** Binance: 5 (JSON messages, pings and pongs), per connection, real time. */
  maxIncomingPerSecond?: number;
  /** Binance: 300 per 5 minutes per IP, on the weight clock. */
  maxConnectionAttempts?: number;
  connectionAttemptWindowMs?: number;
  /** Binance: a ping every 20 s, closed without a pong within 60 s (real time). */
  pingIntervalMs?: number;
  pongTimeoutMs?: number;
  /** Binance: 24 h, on the exchange (virtual) clock. */
  lifetimeMs?: number;
  /** Send `serverShutdown` this long (exchange time) before the lifetime ends; default 0 = no notice. */
  lifetimeNoticeMs?: number;
  /** When the clock jumps past many candle closes, only the newest this many finals are sent. Default 100. */
  maxFinalsPerTick?: number;
}

export interface StreamStatsSnapshot {
  connectionsOpen: number;
  connectionsAccepted: number;
  /** Upgrade requests refused, by reason. */
  refused: { attempts: number; badRequest: number; notFound: number };
  disconnects: Record<DisconnectReason, number>;
  /** Kline events sent, counted per connection delivery. */
  pushesSent: number;
  finalsSent: number;
  messagesReceived: number;
  connections: StreamConnectionInfo[];
}

export interface StreamServerDeps {
  market: MarketSchedule;
  catalog: SymbolCatalog;
  faults: FaultInjector;
  realNow: () => number;
  /** Clock of the connection-attempt window (the REST weight clock). */
  attemptNow: () => number;
  clientIdHeader?: string;
}

const DAY_MS = 24 * 3_600_000;

/** Binance-style kline WebSocket streams: `/ws/<stream>`, `/ws`, `/stream?streams=a/b`, `/stream`. */
export class StreamServer {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 1 << 20 });
  private readonly connections = new Set<StreamConnection>();
  private readonly channels = new Map<string, KlineChannel>();
  private readonly attempts: ConnectionAttemptLimiter;
  private readonly limits: ConnectionLimits;
  private readonly timer: NodeJS.Timeout;
  private readonly channelContext: ChannelContext;
  private nextId = 1;
  private lastTick: number;
  private totals = emptyTotals();

  constructor(
    private readonly deps: StreamServerDeps,
    options: StreamServerOptions = {},
  ) {
    this.limits = {
      maxStreams: options.maxStreamsPerConnection ?? 1024,
      maxIncomingPerSecond: options.maxIncomingPerSecond ?? 5,
      pingIntervalMs: options.pingIntervalMs ?? 20_000,
      pongTimeoutMs: options.pongTimeoutMs ?? 60_000,
      lifetimeMs: options.lifetimeMs ?? DAY_MS,
      lifetimeNoticeMs: options.lifetimeNoticeMs ?? 0,
    };
    this.attempts = new ConnectionAttemptLimiter(
      options.maxConnectionAttempts ?? 300,
      options.connectionAttemptWindowMs ?? 5 * 60_000,
      deps.attemptNow,
    );
    this.channelContext = {
      market: deps.market,
      catalog: deps.catalog,
      faults: () => deps.faults.settings,
      maxFinalsPerTick: options.maxFinalsPerTick ?? 100,
    };
    this.lastTick = deps.market.now();
    this.timer = setInterval(() => this.tick(), options.tickMs ?? 25);
  }

  attach(server: Server): void {
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) =>
      this.upgrade(req, socket, head),
    );
  }

  stats(): StreamStatsSnapshot {
    const live = [...this.connections].map((c) => c.info());
    const sum = (key: 'pushesSent' | 'finalsSent' | 'messagesReceived') =>
      this.totals.closedConnections[key] + live.reduce((n, c) => n + c[key], 0);
    return {
      connectionsOpen: live.length,
      connectionsAccepted: this.totals.accepted,
      refused: { ...this.totals.refused },
      disconnects: { ...this.totals.disconnects },
      pushesSent: sum('pushesSent'),
      finalsSent: sum('finalsSent'),
      messagesReceived: sum('messagesReceived'),
      connections: live,
    };
  }

  resetStats(): void {
    this.totals = emptyTotals();
    for (const c of this.connections) c.resetCounters();
    this.attempts.reset();
  }

  connectionList(): StreamConnectionInfo[] {
    return [...this.connections].map((c) => c.info());
  }

  /** Drops (TCP reset) the connections matching the filter, all by default; returns how many. */
  dropConnections(filter: { id?: number; stream?: string } = {}): number {
    let dropped = 0;
    for (const c of [...this.connections]) {
      if (filter.id !== undefined && c.id !== filter.id) continue;
      if (filter.stream !== undefined && !c.subscriptions().includes(filter.stream)) continue;
      c.drop('dropped');
      dropped++;
    }
    return dropped;
  }

  /** Planned shutdown: every connection gets `serverShutdown` now and is closed `noticeMs` (exchange time) later. */
  shutdown(noticeMs: number): void {
    const closeAt = this.deps.market.now() + noticeMs;
    for (const c of this.connections) c.announceShutdown(closeAt);
  }

  /** Silences `stream` on every connection from now, for `durationMs` (exchange time) or for good. */
  stall(stream: string, durationMs?: number): void {
    const from = this.deps.market.now();
    const stall = { stream, from, ...(durationMs !== undefined ? { to: from + durationMs } : {}) };
    this.deps.faults.set({ streamStalls: [...this.deps.faults.settings.streamStalls, stall] });
  }

  /**
   * The final update of one candle of `stream` is never sent: the candle opening at `openTime`, by
   * default the one open now. Returns that open time.
   */
  skipFinal(stream: string, openTime?: number): number {
    const parsed = parseStreamName(stream);
    if (!parsed) throw new Error(`skipFinal: "${stream}" is not a kline stream name (e.g. btcusdt@kline_1m)`);
    const target = openTime ?? this.openCandleTime(parsed.symbol, parsed.interval);
    this.deps.faults.set({
      skippedFinals: [...this.deps.faults.settings.skippedFinals, { stream, openTime: target }],
    });
    return target;
  }

  private openCandleTime(symbol: string, interval: KlineInterval): number {
    const now = this.deps.market.now();
    const series = this.deps.catalog.get(symbol)?.series?.get(interval);
    const index = series ? series.lowerBound(now + 1) - 1 : -1;
    if (series && index >= 0) return series.openTimeAt(index);
    const ms = intervalMs(interval);
    return Math.floor(now / ms) * ms;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    for (const c of [...this.connections]) c.drop('server-closed');
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private tick(): void {
    const now = this.deps.market.now();
    const drops = this.deps.faults.settings.connectionDrops;
    if (drops.some((d) => d.at > this.lastTick && d.at <= now)) this.dropConnections();
    this.lastTick = now;
    // The pushes of one tick leave each connection in one write (an exchange's servers send a close
    // instant's thousands of finals without a system call per frame).
    const open = [...this.connections];
    for (const c of open) c.holdWrites();
    try {
      for (const channel of this.channels.values()) channel.advance(now);
    } finally {
      for (const c of open) c.releaseWrites();
    }
    for (const c of [...this.connections]) c.tick();
  }

  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://sim');
    const raw = url.pathname === '/ws' || url.pathname.startsWith('/ws/');
    if (!raw && url.pathname !== '/stream') {
      this.totals.refused.notFound++;
      return refuse(socket, 404, 'Not Found', '');
    }
    const client = this.clientOf(req);
    const wait = this.attempts.admit(client);
    if (wait !== undefined) {
      this.totals.refused.attempts++;
      const body = { code: -1003, msg: 'Too many connection attempts; current limit is 300 per 5 MINUTE.' };
      return refuse(socket, 429, 'Too Many Requests', JSON.stringify(body), wait);
    }
    const list = raw ? url.pathname.slice('/ws'.length) : (url.searchParams.get('streams') ?? '');
    const names = list.split('/').filter((n) => n !== '');
    const problem = names.some((n) => !parseStreamName(n))
      ? 'invalid stream'
      : new Set(names).size > this.limits.maxStreams
        ? `too many streams: at most ${this.limits.maxStreams} streams per connection`
        : undefined;
    if (problem) {
      this.totals.refused.badRequest++;
      return refuse(
        socket,
        400,
        'Bad Request',
        JSON.stringify({ code: 2, msg: `Invalid request: ${problem}` }),
      );
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      const connection = new StreamConnection(
        this.nextId++,
        client,
        url.pathname + url.search,
        ws,
        this.host,
        this.limits,
        !raw,
      );
      this.connections.add(connection);
      this.totals.accepted++;
      connection.subscribe(names);
    });
  }

  private readonly host = {
    exchangeNow: () => this.deps.market.now(),
    realNow: () => this.deps.realNow(),
    subscribe: (connection: StreamConnection, names: readonly string[]) => {
      for (const name of names) {
        let channel = this.channels.get(name);
        if (!channel) {
          const stream = parseStreamName(name)!;
          channel = new KlineChannel(stream, this.channelContext, this.deps.market.now());
          this.channels.set(name, channel);
        }
        channel.subscribers.add(connection);
      }
    },
    unsubscribe: (connection: StreamConnection, names: readonly string[]) => {
      for (const name of names) {
        const channel = this.channels.get(name);
        channel?.subscribers.delete(connection);
        if (channel && channel.subscribers.size === 0) this.channels.delete(name);
      }
    },
    closed: (connection: StreamConnection, reason: DisconnectReason) => {
      if (!this.connections.delete(connection)) return;
      this.totals.disconnects[reason]++;
      this.host.unsubscribe(connection, connection.subscriptions());
      const info = connection.info();
      this.totals.closedConnections.pushesSent += info.pushesSent;
      this.totals.closedConnections.finalsSent += info.finalsSent;
      this.totals.closedConnections.messagesReceived += info.messagesReceived;
    },
  };

  private clientOf(req: IncomingMessage): string {
    const header = this.deps.clientIdHeader ? req.headers[this.deps.clientIdHeader.toLowerCase()] : undefined;
    if (typeof header === 'string' && header !== '') return header;
    return req.socket.remoteAddress ?? 'unknown';
  }
}

function refuse(socket: Duplex, status: number, text: string, body: string, retryAfter?: number): void {
  const headers = [
    `HTTP/1.1 ${status} ${text}`,
    'Content-Type: application/json;charset=UTF-8',
    `Content-Length: ${Buffer.byteLength(body)}`,
    ...(retryAfter !== undefined ? [`Retry-After: ${retryAfter}`] : []),
    'Connection: close',
  ];
  socket.end(`${headers.join('\r\n')}\r\n\r\n${body}`);
}

function emptyTotals() {
  return {
    accepted: 0,
    refused: { attempts: 0, badRequest: 0, notFound: 0 },
    closedConnections: { pushesSent: 0, finalsSent: 0, messagesReceived: 0 },
    disconnects: {
      client: 0,
      'rate-limit': 0,
      'pong-timeout': 0,
      lifetime: 0,
      shutdown: 0,
      dropped: 0,
      'server-closed': 0,
    } as Record<DisconnectReason, number>,
  };
}
