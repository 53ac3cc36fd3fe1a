import { Logger } from '@nestjs/common';
import { OnGatewayConnection, WebSocketGateway, WebSocketServer } from '@nestjs/websockets';
import {
  ClientToServerEvents,
  ServerToClientEvents,
  SIGNALS_NAMESPACE,
  SocketEvents,
} from '@scanner/contracts';
import type { Namespace, Socket } from 'socket.io';
import { SignalQueryService } from '../signal-engine/signal-query.service';

export type SignalsSocket = Socket<ClientToServerEvents, ServerToClientEvents>;

/** The Socket.IO edge of the live feed. Services never touch sockets: they go through this class. */
@WebSocketGateway({ namespace: SIGNALS_NAMESPACE })
export class SignalsGateway implements OnGatewayConnection {
  private readonly logger = new Logger(SignalsGateway.name);

  @WebSocketServer()
  private readonly namespace!: Namespace<ClientToServerEvents, ServerToClientEvents>;

  constructor(private readonly signals: SignalQueryService) {}

  async handleConnection(client: SignalsSocket): Promise<void> {
    try {
      client.emit(SocketEvents.snapshot, await this.signals.activeSnapshot());
    } catch (error) {
      this.logger.error(`snapshot for ${client.id} failed: ${(error as Error).message}`);
      client.disconnect(true);
    }
  }

  connectedClients(): number {
    return this.namespace?.sockets.size ?? 0;
  }
}
