import { INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import type { Server, ServerOptions } from 'socket.io';
import { corsOriginCheck, isOriginAllowed } from '../common';
import { AppConfig } from '../config';
import { coalesceWebSocketWrites } from './coalesced-writes';

/**
 * Socket.IO with the same origin policy as HTTP (CORS_ORIGINS; same-origin when empty), and each batch
 * of frames to a WebSocket client in one TCP write (see coalesceWebSocketWrites).
 */
export class SocketIoAdapter extends IoAdapter {
  constructor(
    app: INestApplicationContext,
    private readonly config: AppConfig,
  ) {
    super(app);
  }

  override createIOServer(port: number, options?: ServerOptions): Server {
    const allowed = this.config.corsOrigins;
    const server: Server = super.createIOServer(port, {
      ...options,
      cors: { origin: corsOriginCheck(allowed) },
      allowRequest: (request, callback) => {
        const ok = isOriginAllowed(request, allowed);
        callback(ok ? null : 'origin not allowed', ok);
      },
      pingInterval: 20_000,
      pingTimeout: 20_000,
    } as ServerOptions);
    coalesceWebSocketWrites(server.engine as unknown as Parameters<typeof coalesceWebSocketWrites>[0]);
    return server;
  }
}
