import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo, Socket as NetSocket } from 'node:net';
import { Server } from 'socket.io';
import { io as connect, type Socket as ClientSocket } from 'socket.io-client';
import { coalesceWebSocketWrites } from './coalesced-writes';

const EVENTS = 200;

/** A Socket.IO server and one websocket client; counts the TCP writes of the server's side of it. */
async function setup(coalesce: boolean) {
  const http: HttpServer = createServer();
  const io = new Server(http);
  if (coalesce)
    coalesceWebSocketWrites(io.engine as unknown as Parameters<typeof coalesceWebSocketWrites>[0]);
  let writes = 0;
  io.engine.on('connection', (socket: { transport: { socket: { _socket: NetSocket } } }) => {
    const tcp = socket.transport.socket._socket as NetSocket & {
      _write: (...args: unknown[]) => void;
      _writev: (...args: unknown[]) => void;
    };
    const [write, writev] = [tcp._write.bind(tcp), tcp._writev.bind(tcp)];
    tcp._write = (...args: unknown[]) => {
      writes++;
      write(...args);
    };
    tcp._writev = (...args: unknown[]) => {
      writes++;
      writev(...args);
    };
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const client: ClientSocket = connect(`http://127.0.0.1:${(http.address() as AddressInfo).port}`, {
    transports: ['websocket'],
    reconnection: false,
  });
  await new Promise<void>((resolve) => io.once('connection', () => resolve()));
  await new Promise<void>((resolve) => client.once('connect', () => resolve()));
  return {
    io,
    client,
    writes: () => writes,
    close: async () => {
      client.disconnect();
      await io.close();
    },
  };
}

async function burst(coalesce: boolean): Promise<{ writes: number; received: number[] }> {
  const { io, client, writes, close } = await setup(coalesce);
  try {
    const received: number[] = [];
    const all = new Promise<void>((resolve) =>
      client.on('signal.updated', ({ seq }: { seq: number }) => {
        received.push(seq);
        if (received.length === EVENTS) resolve();
      }),
    );
    const before = writes();
    for (let seq = 1; seq <= EVENTS; seq++) io.emit('signal.updated', { seq, signal: { id: `s${seq}` } });
    await all;
    return { writes: writes() - before, received };
  } finally {
    await close();
  }
}

describe('coalesceWebSocketWrites', () => {
  it('sends a burst of broadcast events to a websocket client in a few TCP writes, all in order', async () => {
    const { writes, received } = await burst(true);
    expect(received).toEqual(Array.from({ length: EVENTS }, (_, i) => i + 1));
    // The first frame goes out at once; the rest wait for it and then leave together.
    expect(writes).toBeLessThanOrEqual(4);
  });

  it('without it, each frame is its own write (what the coalescing saves)', async () => {
    const { writes, received } = await burst(false);
    expect(received).toHaveLength(EVENTS);
    expect(writes).toBeGreaterThan(EVENTS / 2);
  });
});
