/** The parts of engine.io's socket and WebSocket transport (and `ws`) that coalescing touches. */
interface EngineTransport {
  name: string;
  send(packets: unknown[]): void;
  socket?: { _socket?: { cork?: unknown; uncork?: unknown } };
}

interface EngineSocket {
  transport: EngineTransport;
  on(event: 'upgrade', listener: (transport: EngineTransport) => void): unknown;
}

interface Engine {
  on(event: 'connection', listener: (socket: EngineSocket) => void): unknown;
}

const COALESCED = Symbol('coalesced writes');

/**
 * Every batch of packets engine.io flushes to a WebSocket client leaves in one TCP write instead of one
 * per packet: a close instant publishes hundreds of signal events, each a frame, to every client, and a
 * system call per frame and client costs more CPU than the events themselves. The transport's send
 * writes its frames synchronously; the TCP socket (`ws` keeps it as `_socket`, as engine.io itself
 * reaches into `ws` for pre-encoded frames) is corked around it. A transport without such a socket is
 * left as it is.
 */
export function coalesceWebSocketWrites(engine: Engine | undefined): void {
  engine?.on('connection', (socket) => {
    coalesce(socket.transport);
    socket.on('upgrade', (transport) => coalesce(transport));
  });
}

function coalesce(transport: EngineTransport): void {
  const raw = transport.socket?._socket;
  const marked = transport as EngineTransport & { [COALESCED]?: true };
  if (transport.name !== 'websocket' || marked[COALESCED] || typeof raw?.cork !== 'function') return;
  if (typeof raw.uncork !== 'function') return;
  const tcp = raw as { cork(): void; uncork(): void };
  const send = transport.send.bind(transport);
  marked[COALESCED] = true;
  transport.send = (packets: unknown[]) => {
    tcp.cork();
    try {
      send(packets);
    } finally {
      tcp.uncork();
    }
  };
}
