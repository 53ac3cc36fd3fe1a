import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

/** A connection as the fake exchange sees it. */
export interface FakeConnection {
  socket: WebSocket;
  streams: Set<string>;
  /** Times (ms) of every message the client sent: control frames and pongs. */
  received: number[];
}

/**
 * A minimal Binance combined-stream endpoint for the stream client's unit tests: answers
 * SUBSCRIBE/UNSUBSCRIBE, records what each connection sent and when, and pushes what a test tells it
 * to. The full simulator (exchange-sim) is what e2e suites use.
 */
export class FakeStreamServer {
  readonly connections: FakeConnection[] = [];
  private server: WebSocketServer | null = null;
  url = '';

  async start(): Promise<void> {
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    this.url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
    server.on('connection', (socket, request) => {
      const query = new URL(request.url ?? '/', 'http://x').searchParams.get('streams');
      const connection: FakeConnection = {
        socket,
        streams: new Set(query ? query.split('/') : []),
        received: [],
      };
      this.connections.push(connection);
      socket.on('pong', () => connection.received.push(Date.now()));
      socket.on('message', (data) => {
        connection.received.push(Date.now());
        const { method, params, id } = JSON.parse(data.toString()) as {
          method: string;
          params: string[];
          id: number;
        };
        if (method === 'SUBSCRIBE') params.forEach((p) => connection.streams.add(p));
        if (method === 'UNSUBSCRIBE') params.forEach((p) => connection.streams.delete(p));
        socket.send(JSON.stringify({ result: null, id }));
      });
    });
    this.server = server;
  }

  open(): FakeConnection[] {
    return this.connections.filter((c) => c.socket.readyState === c.socket.OPEN);
  }

  /** Sends a kline of `stream` on every open connection subscribed to it. */
  pushKline(stream: string, openTime: number, final: boolean, close = '100'): void {
    const [lowerSymbol, rest] = stream.split('@kline_');
    const interval = rest;
    const step = interval === '1m' ? 60_000 : 300_000;
    const message = JSON.stringify({
      stream,
      data: {
        e: 'kline',
        E: openTime + step,
        s: lowerSymbol.toUpperCase(),
        k: {
          t: openTime,
          T: openTime + step - 1,
          s: lowerSymbol.toUpperCase(),
          i: interval,
          f: 1,
          L: 2,
          o: '100',
          c: close,
          h: '101',
          l: '99',
          v: '1',
          n: 1,
          x: final,
          q: '100',
          V: '0',
          Q: '0',
          B: '0',
        },
      },
    });
    for (const connection of this.open()) if (connection.streams.has(stream)) connection.socket.send(message);
  }

  async stop(): Promise<void> {
    for (const connection of this.connections) connection.socket.terminate();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/** The largest number of messages a connection sent within any one-second window. */
export function peakPerSecond(times: number[]): number {
  let peak = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[i] - times[j] >= 1000) j++;
    peak = Math.max(peak, i - j + 1);
  }
  return peak;
}
