import { ExchangeSim, startExchangeSim } from '../exchange-sim';
import { CraftedFolder, HOUR, T0 } from '../test-support/crafted-data';
import { writeStreamFolder } from '../test-support/stream-data';
import { TestStreamClient, isRecord, sleep, until } from '../test-support/ws-client';

const NOW = T0 + 30 * HOUR + 10 * 60_000;
const DAY = 24 * HOUR;

/** 1025 distinct, valid stream names. */
const manyStreams = (n: number) =>
  Array.from({ length: n }, (_, i) => `s${String(i).padStart(4, '0')}usdt@kline_1m`);

describe('stream connection rules', () => {
  let data: CraftedFolder;
  let sim: ExchangeSim;
  let real = Date.UTC(2026, 0, 1);
  let clientId = 0;
  const clients: TestStreamClient[] = [];
  /** Each spec connects as its own IP unless it asks for one. */
  const open = async (path: string, options: { autoPong?: boolean; ip?: string } = {}) => {
    const client = await TestStreamClient.open(sim.wsUrl + path, {
      autoPong: options.autoPong ?? true,
      headers: { 'x-test-client': options.ip ?? `ip-${clientId}` },
    });
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    data = writeStreamFolder();
    sim = await startExchangeSim({
      dataDir: data.dir,
      clock: { startTime: NOW, paused: true },
      realNow: () => real,
      clientIdHeader: 'x-test-client',
      log: false,
    });
  });
  afterAll(async () => {
    await sim.close();
    data.remove();
  });
  beforeEach(() => {
    sim.clock.set(NOW);
    real += 10 * 60_000;
    clientId++;
  });
  afterEach(() => {
    for (const c of clients.splice(0)) c.close();
  });

  it('disconnects a connection that sends more than 5 messages within a second (pings and pongs count)', async () => {
    const client = await open('/ws');
    client.ws.ping('a');
    client.ws.pong('b');
    for (let i = 1; i <= 3; i++) await client.request({ method: 'LIST_SUBSCRIPTIONS', id: i });
    await until(() => sim.streams.stats().connections[0]?.messagesReceived === 5);
    real += 999;
    client.send({ method: 'LIST_SUBSCRIPTIONS', id: 6 });
    expect(await client.closed).toEqual({ code: 1008, reason: 'Too many requests' });
    expect(sim.streams.stats().disconnects['rate-limit']).toBe(1);
  });

  it('allows 5 messages in every second', async () => {
    const client = await open('/ws');
    for (let second = 0; second < 3; second++) {
      for (let i = 0; i < 5; i++) await client.request({ method: 'LIST_SUBSCRIPTIONS', id: second * 10 + i });
      real += 1000;
    }
    expect(client.ws.readyState).toBe(client.ws.OPEN);
  });

  it('refuses more than 1024 streams: a SUBSCRIBE gets an error and changes nothing, a URL gets HTTP 400', async () => {
    const client = await open('/ws/aaausdt@kline_15m');
    const reply = await client.request({ method: 'SUBSCRIBE', params: manyStreams(1024), id: 1 });
    expect(reply).toEqual({
      error: { code: 2, msg: 'Invalid request: too many streams: at most 1024 streams per connection' },
      id: 1,
    });
    expect(await client.request({ method: 'LIST_SUBSCRIPTIONS', id: 2 })).toEqual({
      result: ['aaausdt@kline_15m'],
      id: 2,
    });
    expect(await client.request({ method: 'SUBSCRIBE', params: manyStreams(1023), id: 3 })).toEqual({
      result: null,
      id: 3,
    });
    const url = `/stream?streams=${manyStreams(1025).join('/')}`;
    await expect(open(url)).rejects.toMatchObject({
      status: 400,
      body: expect.stringContaining('too many streams'),
    });
    await expect(open(`/stream?streams=${manyStreams(1024).join('/')}`)).resolves.toBeDefined();
  });

  it('refuses the 301st connection attempt of an IP within 5 minutes with HTTP 429, then admits it again', async () => {
    for (let i = 0; i < 300; i++) {
      await expect(open('/ws/NOT-A-STREAM', { ip: 'busy-ip' })).rejects.toMatchObject({ status: 400 });
    }
    await expect(open('/ws', { ip: 'busy-ip' })).rejects.toMatchObject({
      status: 429,
      headers: { 'retry-after': '300' },
    });
    await expect(open('/ws', { ip: 'calm-ip' })).resolves.toBeDefined();
    real += 5 * 60_000 + 1;
    await expect(open('/ws', { ip: 'busy-ip' })).resolves.toBeDefined();
    expect(sim.streams.stats().refused.attempts).toBeGreaterThanOrEqual(1);
  });

  it('pings every 20 s and keeps a connection that answers', async () => {
    const client = await open('/ws');
    real += 19_999;
    await sleep(80);
    expect(client.pings).toHaveLength(0);
    real += 1;
    await until(() => client.pings.length === 1);
    for (let i = 2; i <= 5; i++) {
      real += 20_000;
      await until(() => client.pings.length === i);
    }
    expect(client.pings).toHaveLength(5);
    expect(client.ws.readyState).toBe(client.ws.OPEN);
  });

  it('closes a connection that sends no pong within a minute; unsolicited pongs do not help', async () => {
    const client = await open('/ws', { autoPong: false });
    real += 20_000;
    await until(() => client.pings.length === 1);
    client.ws.pong('not-the-ping-payload');
    real += 59_999;
    await sleep(60);
    expect(client.ws.readyState).toBe(client.ws.OPEN);
    real += 1;
    expect(await client.closed).toEqual({ code: 1008, reason: 'No pong received within 60 s' });
    expect(sim.streams.stats().disconnects['pong-timeout']).toBe(1);
  });

  it('closes a connection after 24 h of virtual time', async () => {
    const client = await open('/ws/aaausdt@kline_15m');
    sim.clock.set(NOW + DAY - 1);
    await sleep(60);
    expect(client.ws.readyState).toBe(client.ws.OPEN);
    sim.clock.set(NOW + DAY);
    expect(await client.closed).toEqual({ code: 1001, reason: 'Connection lifetime of 24 h reached' });
  });

  it('announces a planned shutdown with serverShutdown, raw and combined, and closes after the notice', async () => {
    const raw = await open('/ws/aaausdt@kline_15m');
    const combined = await open('/stream?streams=aaausdt@kline_15m');
    sim.streams.shutdown(30_000);
    expect(await raw.next((m) => isRecord(m) && m.e === 'serverShutdown')).toEqual({
      e: 'serverShutdown',
      E: NOW,
    });
    expect(await combined.next((m) => isRecord(m) && m.stream === '!serverShutdown')).toEqual({
      stream: '!serverShutdown',
      data: { e: 'serverShutdown', E: NOW },
    });
    sim.clock.set(NOW + 29_999);
    await sleep(60);
    expect(raw.ws.readyState).toBe(raw.ws.OPEN);
    sim.clock.set(NOW + 30_000);
    expect(await raw.closed).toEqual({ code: 1001, reason: 'Server shutdown' });
    expect((await combined.closed).code).toBe(1001);
  });
});

describe('stream lifetime notice', () => {
  it('sends serverShutdown the configured time before the 24 h end when asked to', async () => {
    const data = writeStreamFolder();
    const sim = await startExchangeSim({
      dataDir: data.dir,
      clock: { startTime: NOW, paused: true },
      streams: { lifetimeNoticeMs: 60_000, port: 0 },
      log: false,
    });
    try {
      expect(sim.wsUrl).not.toBe(sim.url.replace('http', 'ws'));
      const client = await TestStreamClient.open(`${sim.wsUrl}/ws`);
      sim.clock.set(NOW + DAY - 60_000);
      expect(await client.next()).toEqual({ e: 'serverShutdown', E: NOW + DAY - 60_000 });
      sim.clock.set(NOW + DAY);
      expect((await client.closed).code).toBe(1001);
    } finally {
      await sim.close();
      data.remove();
    }
  });
});
