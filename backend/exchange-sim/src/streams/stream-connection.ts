import { RawData, WebSocket } from 'ws';
import { combinedJson, serverShutdownEventJson } from './kline-event';
import { ControlTarget, answerControlMessage } from './stream-control';
import { Subscriber } from './kline-channel';

export type DisconnectReason =
  'client' | 'rate-limit' | 'pong-timeout' | 'lifetime' | 'shutdown' | 'dropped' | 'server-closed';

export interface ConnectionLimits {
  maxStreams: number;
  maxIncomingPerSecond: number;
  pingIntervalMs: number;
  pongTimeoutMs: number;
  lifetimeMs: number;
  lifetimeNoticeMs: number;
}

/** What the connection needs from its server. */
export interface ConnectionHost {
  /** Exchange clock (virtual): pushes, lifetime, shutdown notice. */
  exchangeNow(): number;
  /** Real clock: message rate, pings, pong deadline. */
  realNow(): number;
  subscribe(connection: StreamConnection, names: readonly string[]): void;
  unsubscribe(connection: StreamConnection, names: readonly string[]): void;
  closed(connection: StreamConnection, reason: DisconnectReason): void;
}

export interface StreamConnectionInfo {
  id: number;
  client: string;
  path: string;
  combined: boolean;
  streams: string[];
  /** Exchange time the connection opened. */
  openedAt: number;
  /** Every incoming frame: JSON messages, pings and pongs (what the 5/s limit counts). */
  messagesReceived: number;
  controlMessages: number;
  pongsReceived: number;
  pingsSent: number;
  /** Kline events sent (updates and finals). */
  pushesSent: number;
  finalsSent: number;
}

const CLOSE_GRACE_MS = 2_000;

/** The TCP socket under a `ws` connection (ws keeps it as `_socket`), if it is one that can be corked. */
function rawSocket(ws: WebSocket): { cork(): void; uncork(): void } | null {
  const socket = (ws as unknown as { _socket?: { cork?: unknown; uncork?: unknown } })._socket;
  return socket && typeof socket.cork === 'function' && typeof socket.uncork === 'function'
    ? (socket as { cork(): void; uncork(): void })
    : null;
}

/** One client connection: its subscriptions, the combined property, limits, ping/pong and lifetime. */
export class StreamConnection implements Subscriber, ControlTarget {
  combined: boolean;
  readonly openedAt: number;
  private readonly streams = new Set<string>();
  private readonly incoming: number[] = [];
  private readonly pingsOutstanding: { payload: string; at: number }[] = [];
  private lastPingAt: number;
  private shutdownAt: number | undefined;
  private lifetimeNoticeSent = false;
  private closing = false;
  private counters = emptyCounters();

  constructor(
    readonly id: number,
    readonly client: string,
    readonly path: string,
    private readonly ws: WebSocket,
    private readonly host: ConnectionHost,
    private readonly limits: ConnectionLimits,
    combined: boolean,
  ) {
    this.combined = combined;
    this.openedAt = host.exchangeNow();
    this.lastPingAt = host.realNow();
    ws.on('message', (data, isBinary) => this.onMessage(data, isBinary));
    ws.on('ping', () => this.countIncoming());
    ws.on('pong', (data) => this.onPong(data));
    ws.on('close', () => this.host.closed(this, 'client'));
    ws.on('error', () => this.ws.terminate());
  }

  get maxStreams(): number {
    return this.limits.maxStreams;
  }

  subscriptions(): string[] {
    return [...this.streams];
  }

  subscribe(names: readonly string[]): void {
    const fresh = names.filter((n) => !this.streams.has(n));
    for (const name of fresh) this.streams.add(name);
    this.host.subscribe(this, fresh);
  }

  unsubscribe(names: readonly string[]): void {
    const gone = names.filter((n) => this.streams.delete(n));
    this.host.unsubscribe(this, gone);
  }

  /** Buffers this connection's frames until releaseWrites (the TCP socket is corked). */
  holdWrites(): void {
    rawSocket(this.ws)?.cork();
  }

  releaseWrites(): void {
    rawSocket(this.ws)?.uncork();
  }

  deliver(stream: string, dataJson: string, final: boolean): void {
    if (this.closing) return;
    this.ws.send(this.combined ? combinedJson(stream, dataJson) : dataJson);
    this.counters.pushesSent++;
    if (final) this.counters.finalsSent++;
  }

  /** Called on every server tick: pings, the pong deadline, the 24 h lifetime and a planned shutdown. */
  tick(): void {
    if (this.closing) return;
    const real = this.host.realNow();
    const exchange = this.host.exchangeNow();
    const oldest = this.pingsOutstanding[0];
    if (oldest && real - oldest.at >= this.limits.pongTimeoutMs) {
      this.close(1008, `No pong received within ${this.limits.pongTimeoutMs / 1000} s`, 'pong-timeout');
      return;
    }
    if (this.shutdownAt !== undefined && exchange >= this.shutdownAt) {
      this.close(1001, 'Server shutdown', 'shutdown');
      return;
    }
    const age = exchange - this.openedAt;
    if (age >= this.limits.lifetimeMs) {
      this.close(1001, 'Connection lifetime of 24 h reached', 'lifetime');
      return;
    }
    if (
      this.limits.lifetimeNoticeMs > 0 &&
      !this.lifetimeNoticeSent &&
      age >= this.limits.lifetimeMs - this.limits.lifetimeNoticeMs
    ) {
      this.lifetimeNoticeSent = true;
      this.sendShutdownEvent(exchange);
    }
    if (real - this.lastPingAt >= this.limits.pingIntervalMs) {
      this.lastPingAt = real;
      const payload = String(exchange);
      this.pingsOutstanding.push({ payload, at: real });
      this.counters.pingsSent++;
      this.ws.ping(payload);
    }
  }

  /** A planned shutdown: `serverShutdown` now, the close at exchange time `closeAt`. */
  announceShutdown(closeAt: number): void {
    if (this.closing) return;
    this.shutdownAt = Math.min(this.shutdownAt ?? Infinity, closeAt);
    this.sendShutdownEvent(this.host.exchangeNow());
  }

  /** Close frame, then a TCP reset if the client does not complete the close handshake in time. */
  close(code: number, reason: string, why: DisconnectReason): void {
    if (this.closing) return;
    this.closing = true;
    this.host.closed(this, why);
    this.ws.close(code, reason);
    setTimeout(() => this.ws.terminate(), CLOSE_GRACE_MS).unref();
  }

  /** Abrupt loss: no close frame (what a network drop looks like to the client). */
  drop(why: DisconnectReason): void {
    if (this.closing) return;
    this.closing = true;
    this.host.closed(this, why);
    this.ws.terminate();
  }

  info(): StreamConnectionInfo {
    return {
      id: this.id,
      client: this.client,
      path: this.path,
      combined: this.combined,
      streams: this.subscriptions(),
      openedAt: this.openedAt,
      ...this.counters,
    };
  }

  resetCounters(): void {
    this.counters = emptyCounters();
  }

  private sendShutdownEvent(eventTime: number): void {
    const data = serverShutdownEventJson(eventTime);
    this.ws.send(this.combined ? combinedJson('!serverShutdown', data) : data);
  }

  private onMessage(data: RawData, isBinary: boolean): void {
    if (!this.countIncoming()) return;
    this.counters.controlMessages++;
    const text = isBinary ? '\u0000' : data.toString();
    this.ws.send(answerControlMessage(text, this));
  }

  private onPong(data: Buffer): void {
    if (!this.countIncoming()) return;
    this.counters.pongsReceived++;
    // A pong must echo a ping's payload; unsolicited pongs are fine but do not count as answers.
    const index = this.pingsOutstanding.findIndex((p) => p.payload === data.toString());
    if (index >= 0) this.pingsOutstanding.splice(0, index + 1);
  }

  /** Counts an incoming frame; more than the limit within any 1 s (real time) disconnects. */
  private countIncoming(): boolean {
    if (this.closing) return false;
    this.counters.messagesReceived++;
    const now = this.host.realNow();
    this.incoming.push(now);
    while (this.incoming.length > 0 && this.incoming[0]! <= now - 1000) this.incoming.shift();
    if (this.incoming.length > this.limits.maxIncomingPerSecond) {
      this.close(1008, 'Too many requests', 'rate-limit');
      return false;
    }
    return true;
  }
}

function emptyCounters() {
  return {
    messagesReceived: 0,
    controlMessages: 0,
    pongsReceived: 0,
    pingsSent: 0,
    pushesSent: 0,
    finalsSent: 0,
  };
}
