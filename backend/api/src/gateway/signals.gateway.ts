import { MetricsService } from '../metrics';
import { Logger, OnModuleDestroy } from '@nestjs/common';
import {
  OnGatewayConnection,
  OnGatewayDisconnect,
  OnGatewayInit,
  WebSocketGateway,
  WebSocketServer,
} from '@nestjs/websockets';
import {
  ClientToServerEvents,
  ServerToClientEvents,
  SIGNALS_NAMESPACE,
  SocketEvents,
} from '@scanner/contracts';
import type { Namespace, Socket } from 'socket.io';
import { FeedClient, FeedSession, SyncAnswer } from './feed-session';
import { LiveFeed } from './live-feed';
import { CHANGE_EVENT_NAMES, OutboxEvent } from './outbox-event';
import { OutboxReader } from './outbox-reader';
import { ScannerStatusService } from './scanner-status.service';

export type SignalsSocket = Socket<ClientToServerEvents, ServerToClientEvents>;
type SignalsNamespace = Namespace<ClientToServerEvents, ServerToClientEvents>;

/** Sockets whose feed is in step with the publisher: they get the shared broadcast. */
const LIVE_ROOM = 'live';
/** `scanner.status` period (the dashboard calls the feed stale after 30 s without one). */
export const STATUS_INTERVAL_MS = 15_000;

/** A valid `resync` request's lastSeq, or null. */
export function parseResync(request: unknown): number | null {
  if (typeof request !== 'object' || request === null) return null;
  const lastSeq = (request as { lastSeq?: unknown }).lastSeq;
  return typeof lastSeq === 'number' && Number.isSafeInteger(lastSeq) && lastSeq >= 0 ? lastSeq : null;
}

function sendChange(
  target: Pick<SignalsSocket, 'emit'> | ReturnType<SignalsNamespace['to']>,
  event: OutboxEvent,
): void {
  const payload = { seq: event.seq, signal: event.signal };
  switch (CHANGE_EVENT_NAMES[event.type]) {
    case SocketEvents.created:
      target.emit(SocketEvents.created, payload);
      break;
    case SocketEvents.updated:
      target.emit(SocketEvents.updated, payload);
      break;
    case SocketEvents.deleted:
      target.emit(SocketEvents.deleted, payload);
      break;
  }
}

/**
 * The Socket.IO edge of the live feed (DESIGN §8). Clients get a snapshot and the scanner status on
 * connect, then every published event exactly once in seq order; `resync` { lastSeq } replays what
 * they missed as ordinary change events (a snapshot when the gap is out of the window, see
 * OutboxReader); a resync sent right on connect, before the snapshot went out, replaces the snapshot.
 * Clients can send nothing else: other events and malformed requests are ignored (debug log).
 *
 * Scale-out: each api process publishes from the database to its own sockets, so no Socket.IO adapter
 * is needed. Behind a load balancer only Socket.IO's HTTP long-polling transport needs sticky sessions
 * (its requests must reach the process holding the session); the dashboard connects with
 * `transports: ['websocket']`, one TCP connection per socket, so it works without them.
 */
@WebSocketGateway({ namespace: SIGNALS_NAMESPACE })
export class SignalsGateway
  implements OnGatewayInit, OnGatewayConnection, OnGatewayDisconnect, OnModuleDestroy
{
  private readonly logger = new Logger(SignalsGateway.name);
  private readonly sessions = new WeakMap<SignalsSocket, FeedSession>();
  private statusTimer: NodeJS.Timeout | null = null;

  @WebSocketServer()
  private readonly namespace!: SignalsNamespace;

  constructor(
    private readonly feed: LiveFeed,
    private readonly reader: OutboxReader,
    private readonly status: ScannerStatusService,
    private readonly metrics: MetricsService,
  ) {}

  afterInit(namespace: SignalsNamespace): void {
    this.feed.bindBroadcast((event) => sendChange(namespace.to(LIVE_ROOM), event));
    this.statusTimer = setInterval(() => void this.broadcastStatus(), STATUS_INTERVAL_MS);
    this.statusTimer.unref();
  }

  onModuleDestroy(): void {
    if (this.statusTimer) clearInterval(this.statusTimer);
  }

  handleConnection(client: SignalsSocket): void {
    this.metrics.connectedSockets.inc();
    const session = this.feed.open(this.feedClient(client));
    this.sessions.set(client, session);
    // Bound before the first await: a `resync` sent right after connecting must not be lost.
    client.onAny((event: string, request: unknown) => {
      if (event !== SocketEvents.resync) {
        this.logger.debug(`ignored client event "${event}" from ${client.id}`);
        return;
      }
      const lastSeq = parseResync(request);
      if (lastSeq === null) {
        this.logger.debug(
          `ignored invalid resync from ${client.id}: ${JSON.stringify(request)?.slice(0, 200)}`,
        );
        return;
      }
      void this.sync(client, session, () => this.reader.resync(lastSeq));
    });
    void this.sync(client, session, () => this.reader.snapshot());
    void this.sendStatus(client);
  }

  handleDisconnect(client: SignalsSocket): void {
    this.metrics.connectedSockets.dec();
    const session = this.sessions.get(client);
    if (session) this.feed.close(session);
    this.sessions.delete(client);
  }

  connectedClients(): number {
    return this.namespace?.sockets.size ?? 0;
  }

  private async sync(
    client: SignalsSocket,
    session: FeedSession,
    load: () => Promise<SyncAnswer>,
  ): Promise<void> {
    try {
      await this.feed.started;
      await session.sync(load);
    } catch (error) {
      // The session can't say what the client has: start over with a fresh connection and snapshot.
      this.logger.error(`feed sync for ${client.id} failed: ${(error as Error).message}`);
      client.disconnect(true);
    }
  }

  private async sendStatus(client: SignalsSocket): Promise<void> {
    try {
      client.emit(SocketEvents.scannerStatus, await this.status.current());
    } catch (error) {
      this.logger.warn(`scanner status for ${client.id} failed: ${(error as Error).message}`);
    }
  }

  private async broadcastStatus(): Promise<void> {
    if (this.connectedClients() === 0) return;
    try {
      this.namespace.emit(SocketEvents.scannerStatus, await this.status.current());
    } catch (error) {
      this.logger.warn(`scanner status broadcast failed: ${(error as Error).message}`);
    }
  }

  private feedClient(client: SignalsSocket): FeedClient {
    return {
      sendEvent: (event) => sendChange(client, event),
      sendSnapshot: (snapshot) => client.emit(SocketEvents.snapshot, snapshot),
      joinLive: () => void client.join(LIVE_ROOM),
      leaveLive: () => void client.leave(LIVE_ROOM),
    };
  }
}
