import { Logger } from '@nestjs/common';
import { SkipThrottle } from '@nestjs/throttler';
import { ConnectedSocket, OnGatewayInit, SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
import {
  ClientToServerEvents,
  ServerToClientEvents,
  SIGNALS_NAMESPACE,
  SocketEvents,
} from '@scanner/contracts';
import type { Namespace, Socket } from 'socket.io';
import { MarketMatrixFeed } from './market-matrix-feed';

type MatrixSocket = Socket<ClientToServerEvents, ServerToClientEvents>;
type MatrixNamespace = Namespace<ClientToServerEvents, ServerToClientEvents>;

/** Sockets that asked for the market matrix. */
export const MARKET_ROOM = 'market';

/**
 * The market matrix on the /signals namespace: `market.subscribe` is answered with `market.snapshot`
 * and joins the socket to the ticks (`market.tick`, changed cells only); `market.unsubscribe` leaves.
 * Sockets that never subscribe get none of it (the live page does not pay for 1,600 cells). A socket's
 * subscribe is ignored while its previous one is still being answered. HTTP's throttler does not apply
 * to socket messages (it reads HTTP headers).
 */
@SkipThrottle()
@WebSocketGateway({ namespace: SIGNALS_NAMESPACE })
export class MarketMatrixGateway implements OnGatewayInit {
  private readonly logger = new Logger(MarketMatrixGateway.name);
  private readonly pending = new WeakSet<MatrixSocket>();

  constructor(private readonly feed: MarketMatrixFeed) {}

  afterInit(namespace: MatrixNamespace): void {
    this.feed.bind({
      tick: (tick) => namespace.to(MARKET_ROOM).emit(SocketEvents.marketTick, tick),
      subscribers: () => namespace.adapter.rooms.get(MARKET_ROOM)?.size ?? 0,
    });
  }

  @SubscribeMessage(SocketEvents.marketSubscribe)
  async subscribe(@ConnectedSocket() client: MatrixSocket): Promise<void> {
    if (this.pending.has(client)) return;
    this.pending.add(client);
    try {
      await this.feed.subscribe((snapshot) => {
        client.emit(SocketEvents.marketSnapshot, snapshot);
        void client.join(MARKET_ROOM);
      });
    } catch (error) {
      this.logger.warn(`market snapshot for ${client.id} failed: ${(error as Error).message}`);
    } finally {
      this.pending.delete(client);
    }
  }

  @SubscribeMessage(SocketEvents.marketUnsubscribe)
  unsubscribe(@ConnectedSocket() client: MatrixSocket): boolean {
    void client.leave(MARKET_ROOM);
    return true;
  }
}
