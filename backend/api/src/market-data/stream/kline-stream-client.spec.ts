import { FakeStreamServer, peakPerSecond } from '../../../test/support/fake-stream-server';
import { KlineStreamClient, type KlineStreamHandlers } from './kline-stream-client';
import type { KlineUpdate } from './kline-stream-message';

const streams = (count: number, offset = 0) =>
  Array.from({ length: count }, (_, i) => `s${i + offset}usdt@kline_5m`);
const T0 = 1722816000000;

async function until(probe: () => boolean, timeoutMs = 5_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function recorder() {
  const klines: KlineUpdate[] = [];
  const down: string[][] = [];
  const up: string[][] = [];
  const handlers: KlineStreamHandlers = {
    onKline: (update) => klines.push(update),
    onStreamsDown: (s) => down.push(s),
    onStreamsUp: (s) => up.push(s),
  };
  return { klines, down, up, handlers };
}

describe('KlineStreamClient', () => {
  let server: FakeStreamServer;
  let client: KlineStreamClient | null = null;

  beforeEach(async () => {
    server = new FakeStreamServer();
    await server.start();
  });

  afterEach(async () => {
    client?.stop();
    client = null;
    await server.stop();
  });

  it('splits streams over connections of at most the configured size and subscribes them all', async () => {
    const r = recorder();
    client = new KlineStreamClient({ baseUrl: server.url, maxStreamsPerConnection: 300 }, r.handlers);
    client.start();
    await client.setStreams(streams(700));
    expect(server.open().map((c) => c.streams.size)).toEqual([300, 300, 100]);
    expect(client.status()).toMatchObject({ state: 'streaming', connections: 3, streams: 700 });
  });

  it("stays within Binance's 5 incoming messages a second (pongs included), even when 200 symbols × 4 timeframes join at once", async () => {
    const r = recorder();
    client = new KlineStreamClient({ baseUrl: server.url }, r.handlers);
    client.start();
    await client.setStreams(streams(10));
    const joined = streams(10).concat(
      Array.from({ length: 800 }, (_, i) => `j${i}usdt@kline_${['1m', '5m', '15m', '1h'][i % 4]}`),
    );
    // One SUBSCRIBE carries at most 200 streams: 800 new streams are 4 messages; add a second wave of
    // single changes to exceed the per-second rate if it were not paced.
    await client.setStreams(joined);
    for (let i = 0; i < 6; i++) await client.setStreams(joined.slice(0, joined.length - 1 - i));
    const [connection] = server.open();
    expect(connection.streams.size).toBe(joined.length - 6);
    expect(connection.received.length).toBeGreaterThanOrEqual(10);
    // The client sends at most 4 a second, leaving room for a pong within Binance's 5.
    expect(peakPerSecond(connection.received)).toBeLessThanOrEqual(5);
  }, 15_000);

  it('hands on each final kline once, even while a rotated connection overlaps its successor', async () => {
    const r = recorder();
    client = new KlineStreamClient({ baseUrl: server.url, lifetimeMs: 400, rotateBeforeMs: 200 }, r.handlers);
    client.start();
    const [stream] = streams(1);
    await client.setStreams([stream]);
    // Rotation at ~200 ms: push a final kline on every open connection around and through it.
    for (let i = 0; i < 8; i++) {
      server.pushKline(stream, T0 + i * 300_000, true);
      await new Promise((resolve) => setTimeout(resolve, 60));
    }
    await until(() => r.klines.length >= 8, 3_000, '8 final klines');
    expect(server.connections.length).toBeGreaterThanOrEqual(2);
    expect(r.klines.map((k) => k.candle.openTime)).toEqual(
      Array.from({ length: 8 }, (_, i) => T0 + i * 300_000),
    );
  });

  it('rotates at once on serverShutdown, opening the successor before closing the old connection', async () => {
    const r = recorder();
    client = new KlineStreamClient({ baseUrl: server.url }, r.handlers);
    client.start();
    await client.setStreams(streams(3));
    const [first] = server.open();
    first.socket.send(
      JSON.stringify({ stream: '!serverShutdown', data: { e: 'serverShutdown', E: Date.now() } }),
    );
    await until(
      () => server.connections.length === 2 && first.socket.readyState === first.socket.CLOSED,
      3_000,
      'rotation',
    );
    expect(server.open()[0].streams.size).toBe(3);
    expect(r.down).toEqual([]);
  });

  it('reports the streams of a dropped connection down, reconnects, and reports them up for backfill', async () => {
    const r = recorder();
    client = new KlineStreamClient({ baseUrl: server.url, backoffBaseMs: 50, backoffMaxMs: 100 }, r.handlers);
    client.start();
    await client.setStreams(streams(3));
    r.up.length = 0;
    server.open()[0].socket.terminate();
    await until(() => r.up.length > 0, 3_000, 'reconnect');
    expect(r.down).toEqual([streams(3)]);
    expect(r.up).toEqual([streams(3)]);
    expect(server.open()[0].streams).toEqual(new Set(streams(3)));
  });

  it('detects a stream that goes silent within two push periods', async () => {
    const r = recorder();
    const period = 400;
    client = new KlineStreamClient({ baseUrl: server.url, pushPeriodMs: period }, r.handlers);
    client.start();
    const [talking, silent] = streams(2);
    await client.setStreams([talking, silent]);
    const started = Date.now();
    const timer = setInterval(() => server.pushKline(talking, T0, false), period / 2);
    try {
      await until(() => r.down.length > 0, 2_000, 'stall');
    } finally {
      clearInterval(timer);
    }
    expect(r.down).toEqual([[silent]]);
    expect(Date.now() - started).toBeLessThanOrEqual(2 * period);
  });
});
