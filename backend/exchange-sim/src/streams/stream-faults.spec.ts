import { ExchangeSim, startExchangeSim } from '../exchange-sim';
import { CraftedFolder, HOUR, MIN15, T0 } from '../test-support/crafted-data';
import { writeStreamFolder } from '../test-support/stream-data';
import { TestStreamClient, sleep, until } from '../test-support/ws-client';

const OPEN_15M = T0 + 30 * HOUR;
const NOW = OPEN_15M + 10 * 60_000;
const AAA = 'aaausdt@kline_15m';
const BBB = 'bbbusdt@kline_1h';

describe('stream faults and market faults on streams', () => {
  let data: CraftedFolder;
  let sim: ExchangeSim;
  const clients: TestStreamClient[] = [];
  const open = async (path: string) => {
    const client = await TestStreamClient.open(sim.wsUrl + path);
    clients.push(client);
    return client;
  };
  /**
   * Moves the clock to `t`, waits until `client` has `total` kline events (when given), then a few more
   * ticks so anything extra would show.
   */
  const at = async (t: number, client?: TestStreamClient, total?: number) => {
    sim.clock.set(t);
    if (client && total !== undefined) await until(() => client.klines().length >= total);
    await sleep(80);
  };
  const streamsOf = (client: TestStreamClient) =>
    client.klines().map((k) => `${k.s}:${k.k.x ? 'final' : 'update'}:${k.E}`);

  beforeAll(async () => {
    data = writeStreamFolder();
    sim = await startExchangeSim({ dataDir: data.dir, clock: { startTime: NOW, paused: true }, log: false });
  });
  afterAll(async () => {
    await sim.close();
    data.remove();
  });
  beforeEach(() => {
    sim.faults.reset();
    sim.clock.set(NOW + 1);
  });
  afterEach(() => {
    for (const c of clients.splice(0)) c.close();
  });

  it('drops connections on demand: the client sees an abnormal close (1006)', async () => {
    const a = await open(`/ws/${AAA}`);
    const b = await open(`/ws/${BBB}`);
    expect(sim.streams.dropConnections({ stream: AAA })).toBe(1);
    expect((await a.closed).code).toBe(1006);
    expect(b.ws.readyState).toBe(b.ws.OPEN);
    expect(sim.streams.dropConnections()).toBe(1);
    expect((await b.closed).code).toBe(1006);
    expect(sim.streams.stats().disconnects.dropped).toBeGreaterThanOrEqual(2);
  });

  it('drops every connection when the exchange clock reaches a scheduled drop', async () => {
    sim.faults.set({ connectionDrops: [{ at: NOW + 10_000 }] });
    const client = await open(`/ws/${AAA}`);
    await at(NOW + 9_999);
    expect(client.ws.readyState).toBe(client.ws.OPEN);
    sim.clock.set(NOW + 10_000);
    expect((await client.closed).code).toBe(1006);
  });

  it('stalls one stream (silent) while the others keep pushing, then resumes it', async () => {
    const client = await open(`/stream?streams=${AAA}/${BBB}`);
    sim.streams.stall(AAA, 10_000);
    await at(NOW + 2000, client, 1);
    await at(NOW + 8000, client, 2);
    expect(streamsOf(client)).toEqual([`BBBUSDT:update:${NOW + 2000}`, `BBBUSDT:update:${NOW + 8000}`]);
    await at(NOW + 10_002, client, 4);
    expect(streamsOf(client)).toContain(`AAAUSDT:update:${NOW + 10_002}`);
  });

  it('skips the final kline of one candle: no x:true for it, the next candle streams as usual', async () => {
    const client = await open(`/ws/${AAA}`);
    expect(sim.streams.skipFinal(AAA)).toBe(OPEN_15M);
    await at(OPEN_15M + MIN15, client, 1);
    await at(OPEN_15M + 2 * MIN15, client, 3);
    const events = client.klines().map((k) => [k.k.t, k.k.x]);
    expect(events).toEqual([
      [OPEN_15M + MIN15, false],
      [OPEN_15M + MIN15, true],
      [OPEN_15M + 2 * MIN15, false],
    ]);
  });

  it('is silent during a whole-exchange halt and sends no final for a candle that ends inside it', async () => {
    sim.faults.set({ halts: [{ from: OPEN_15M + MIN15, to: OPEN_15M + 2 * MIN15 }] });
    const client = await open(`/ws/${AAA}`);
    await at(OPEN_15M + MIN15 - 1000, client, 1); // just before the halt: an update
    await at(OPEN_15M + MIN15, client, 2); // the 30h00 candle ends before the halt: its final comes
    await at(OPEN_15M + MIN15 + 4000);
    await at(OPEN_15M + 2 * MIN15, client, 3); // the halted candle never existed; trading resumes
    const events = client.klines().map((k) => [k.k.t, k.k.x, k.E]);
    expect(events).toEqual([
      [OPEN_15M, false, OPEN_15M + MIN15 - 1000],
      [OPEN_15M, true, OPEN_15M + MIN15],
      [OPEN_15M + 2 * MIN15, false, OPEN_15M + 2 * MIN15],
    ]);
  });

  it('is silent for a symbol in a hole of its series, and for good once the symbol is delisted', async () => {
    sim.faults.set({
      holes: [{ symbol: 'AAAUSDT', from: NOW - 1000, to: NOW + 6000 }],
      symbolEvents: [{ symbol: 'BBBUSDT', at: NOW + 4000, status: 'DELISTED' }],
    });
    const client = await open(`/stream?streams=${AAA}/${BBB}`);
    await at(NOW + 2000, client, 1);
    await at(NOW + 4000);
    await at(NOW + 6000, client, 2);
    await at(NOW + 8000, client, 3);
    expect(streamsOf(client)).toEqual([
      `BBBUSDT:update:${NOW + 2000}`,
      `AAAUSDT:update:${NOW + 6000}`,
      `AAAUSDT:update:${NOW + 8000}`,
    ]);
  });

  it('is silent for a symbol halted at a virtual time and for one the catalog lists as not TRADING', async () => {
    sim.faults.set({
      symbolEvents: [{ symbol: 'AAAUSDT', at: NOW + 3000, until: NOW + 5000, status: 'HALT' }],
    });
    sim.symbols.setStatus('BBBUSDT', 'BREAK');
    try {
      const client = await open(`/stream?streams=${AAA}/${BBB}`);
      await at(NOW + 2000, client, 1);
      await at(NOW + 4000);
      await at(NOW + 6000, client, 2);
      expect(streamsOf(client)).toEqual([`AAAUSDT:update:${NOW + 2000}`, `AAAUSDT:update:${NOW + 6000}`]);
    } finally {
      sim.symbols.setStatus('BBBUSDT', undefined);
    }
  });

  it('follows the exchange clock: with the exchange 300 ms behind, a candle closes 300 ms later', async () => {
    sim.faults.set({ clockOffsetMs: -300 });
    const client = await open(`/ws/${AAA}`);
    await at(OPEN_15M + MIN15, client, 1);
    expect(client.klines().filter((k) => k.k.x)).toHaveLength(0);
    await at(OPEN_15M + MIN15 + 300, client, 2);
    const final = client.klines().find((k) => k.k.x);
    expect(final).toMatchObject({ E: OPEN_15M + MIN15, k: { t: OPEN_15M, x: true } });
  });
});
