import { InjectionToken } from '@angular/core';
import type { ClientToServerEvents, ServerToClientEvents } from '@scanner/contracts';
import { io, Socket } from 'socket.io-client';

export type SignalsClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** Creates the Socket.IO client for a namespace; replaced in unit tests by a fake socket. */
export const SOCKET_FACTORY = new InjectionToken<(namespace: string) => SignalsClientSocket>(
  'SOCKET_FACTORY',
  {
    providedIn: 'root',
    factory: () => (namespace: string) =>
      io(namespace, {
        transports: ['websocket'],
        reconnectionDelay: 1_000,
        reconnectionDelayMax: 15_000,
        randomizationFactor: 0.5,
      }),
  },
);
