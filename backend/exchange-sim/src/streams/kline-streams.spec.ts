import { ExchangeSim, startExchangeSim } from '../exchange-sim';
import { CraftedFolder, HOUR, MIN15, T0 } from '../test-support/crafted-data';
import { KlineRow, get } from '../test-support/http';
import { writeStreamFolder } from '../test-support/stream-data';
import { KlinePayload, TestStreamClient, isKline, isRecord, sleep } from '../test-support/ws-client';

/** Exchange time 30h10m after T0: AAAUSDT's 15m candle opened at 30h00 is open. */
const NOW = T0 + 30 * HOUR + 10 * 60_000;

function expectSameAsRow(k: KlinePayload['k'], row: KlineRow): void {
  expect([k.t, k.o, k.h, k.l, k.c, k.v, k.T, k.q, k.n, k.V, k.Q, k.B]).toEqual(row);
}

describe('kline streams', () => {
  let data: CraftedFolder;
  let sim: ExchangeSim;
  /** The real clock the server's rate limits read; moved by hand so no spec depends on its own speed. */
  let real = Date.UTC(2026, 0, 1);
  const clients: TestStreamClient[] = [];
  const open = async (path: string) => {
    const client = await TestStreamClient.open(sim.wsUrl + path);
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    data = writeStreamFolder();
    sim = await startExchangeSim({
      dataDir: data.dir,
      clock: { startTime: NOW, paused: true },
      realNow: () => real,
      log: false,
    });
  });
  afterAll(async () => {
    await sim.close();
    data.remove();
  });
  beforeEach(() => {
    sim.clock.set(NOW + 1);
    real += 60_000;
  });
  afterEach(() => {
    for (const c of clients.splice(0)) c.close();
    sim.faults.reset();
  });

  it('pushes Binance kline payloads on a raw stream, every 2 s of virtual time, equal to the REST open candle', async () => {
    const client = await open('/ws/aaausdt@kline_15m');
    sim.clock.set(NOW + 2000);
    const event = await client.nextKline();
    expect(Object.keys(event)).toEqual(['e', 'E', 's', 'k']);
    expect(Object.keys(event.k)).toEqual([
      't',
      'T',
      's',
      'i',
      'f',
      'L',
      'o',
      'c',
      'h',
      'l',
      'v',
      'n',
      'x',
      'q',
      'V',
      'Q',
      'B',
    ]);
    expect(event).toMatchObject({
      e: 'kline',
      E: NOW + 2000,
      s: 'AAAUSDT',
      k: { s: 'AAAUSDT', i: '15m', x: false, f: -1, L: -1 },
    });
    const rows = (await get<KlineRow[]>(sim.url, '/api/v3/klines?symbol=AAAUSDT&interval=15m&limit=1')).json;
    expectSameAsRow(event.k, rows[0]!);
    expect(event.k.t).toBe(T0 + 30 * HOUR);

    sim.clock.set(NOW + 3999);
    await sleep(120);
    expect(client.klines()).toHaveLength(1);
    sim.clock.set(NOW + 4000);
    expect((await client.nextKline()).E).toBe(NOW + 4000);
  });

  it('sends the final kline with x:true at the close, equal to the REST closed candle, then the next candle', async () => {
    const client = await open('/ws/aaausdt@kline_15m');
    const closeAt = T0 + 30 * HOUR + MIN15;
    sim.clock.set(closeAt);
    const final = await client.nextKline();
    expect(final.k.x).toBe(true);
    expect(final.k.t).toBe(T0 + 30 * HOUR);
    const rows = (
      await get<KlineRow[]>(
        sim.url,
        `/api/v3/klines?symbol=AAAUSDT&interval=15m&startTime=${T0 + 30 * HOUR}&limit=1`,
      )
    ).json;
    expectSameAsRow(final.k, rows[0]!);
    const next = await client.nextKline();
    expect(next.k).toMatchObject({ t: closeAt, x: false });
  });

  it('sends every final in order when the clock jumps past several closes', async () => {
    const client = await open('/ws/aaausdt@kline_15m');
    sim.clock.set(T0 + 31 * HOUR + 1000);
    const finals: number[] = [];
    for (let i = 0; i < 4; i++) finals.push((await client.nextKline()).k.t);
    expect(finals).toEqual([0, 1, 2, 3].map((q) => T0 + 30 * HOUR + q * MIN15));
    expect(
      client
        .klines()
        .slice(0, 4)
        .every((k) => k.k.x),
    ).toBe(true);
  });

  it('pushes a 1s stream every second: each second closes a candle and opens the next', async () => {
    const start = T0 + 600_000;
    sim.clock.set(start + 1);
    const client = await open('/ws/cccusdt@kline_1s');
    sim.clock.set(start + 1000);
    const final = await client.nextKline();
    const update = await client.nextKline();
    expect(final.k).toMatchObject({ t: start, T: start + 999, i: '1s', x: true });
    expect(update.k).toMatchObject({ t: start + 1000, x: false });
    sim.clock.set(start + 1999);
    await sleep(120);
    expect(client.klines()).toHaveLength(2);
  });

  it('wraps events as {stream, data} on combined streams', async () => {
    const client = await open('/stream?streams=aaausdt@kline_15m/bbbusdt@kline_1h');
    sim.clock.set(NOW + 2000);
    const first = (await client.next()) as { stream: string; data: KlinePayload };
    const second = (await client.next()) as { stream: string; data: KlinePayload };
    const byStream = Object.fromEntries([first, second].map((m) => [m.stream, m.data]));
    expect(Object.keys(byStream).sort()).toEqual(['aaausdt@kline_15m', 'bbbusdt@kline_1h']);
    expect(byStream['bbbusdt@kline_1h']).toMatchObject({
      e: 'kline',
      s: 'BBBUSDT',
      k: { i: '1h', x: false },
    });
  });

  it('answers live SUBSCRIBE, LIST_SUBSCRIPTIONS, UNSUBSCRIBE, GET_PROPERTY and SET_PROPERTY', async () => {
    const client = await open('/ws');
    expect(
      await client.request({ method: 'SUBSCRIBE', params: ['aaausdt@kline_15m', 'bbbusdt@kline_1h'], id: 1 }),
    ).toEqual({ result: null, id: 1 });
    expect(await client.request({ method: 'LIST_SUBSCRIPTIONS', id: 'a2' })).toEqual({
      result: ['aaausdt@kline_15m', 'bbbusdt@kline_1h'],
      id: 'a2',
    });
    expect(await client.request({ method: 'UNSUBSCRIBE', params: ['bbbusdt@kline_1h'], id: 3 })).toEqual({
      result: null,
      id: 3,
    });
    expect(await client.request({ method: 'GET_PROPERTY', params: ['combined'], id: 4 })).toEqual({
      result: false,
      id: 4,
    });
    expect(await client.request({ method: 'SUBSCRIBE', params: ['BTCUSDT@kline_1m'], id: 5 })).toEqual({
      error: { code: 2, msg: 'Invalid request: invalid stream' },
      id: 5,
    });
    sim.clock.set(NOW + 2000);
    expect((await client.nextKline()).s).toBe('AAAUSDT');
    real += 1000; // five messages so far: the sixth waits for the next second
    expect(await client.request({ method: 'SET_PROPERTY', params: ['combined', true], id: 6 })).toEqual({
      result: null,
      id: 6,
    });
    sim.clock.set(NOW + 4000);
    const wrapped = await client.next((m) => isRecord(m) && m.stream !== undefined);
    expect(wrapped).toMatchObject({ stream: 'aaausdt@kline_15m', data: { e: 'kline', E: NOW + 4000 } });
    expect(client.messages.filter((m) => isKline(m) && m.s === 'BBBUSDT')).toHaveLength(0);
  });

  it('refuses a URL with an invalid stream name or an unknown path', async () => {
    await expect(open('/ws/AAAUSDT@kline_15m')).rejects.toMatchObject({ status: 400 });
    await expect(open('/ws/aaausdt@kline_7m')).rejects.toMatchObject({ status: 400 });
    await expect(open('/stream?streams=aaausdt@aggTrade')).rejects.toMatchObject({ status: 400 });
    await expect(open('/nowhere')).rejects.toMatchObject({ status: 404 });
  });

  it('counts connections, messages received per connection and pushes sent', async () => {
    sim.streams.resetStats();
    const client = await open('/ws/aaausdt@kline_15m');
    await client.request({ method: 'LIST_SUBSCRIPTIONS', id: 1 });
    sim.clock.set(NOW + 2000);
    await client.nextKline();
    const stats = sim.streams.stats();
    expect(stats.connectionsOpen).toBe(1);
    expect(stats.connectionsAccepted).toBe(1);
    expect(stats.pushesSent).toBe(1);
    expect(stats.connections[0]).toMatchObject({
      streams: ['aaausdt@kline_15m'],
      messagesReceived: 1,
      controlMessages: 1,
      pushesSent: 1,
    });
  });
});
