import { ExchangeSim, startExchangeSim } from './exchange-sim';
import { CraftedFolder, HOUR, T0, writeCraftedFolder } from './test-support/crafted-data';
import { get } from './test-support/http';

describe('request weight', () => {
  let data: CraftedFolder;
  let sim: ExchangeSim;
  let wall = Date.UTC(2025, 0, 1, 12, 0, 10);
  beforeAll(async () => {
    data = writeCraftedFolder();
    sim = await startExchangeSim({
      dataDir: data.dir,
      clock: { startTime: T0 + 30 * HOUR, paused: true },
      realNow: () => wall,
      weightLimit: 100,
      clientIdHeader: 'x-test-client',
      log: false,
    });
  });
  afterAll(async () => {
    await sim.close();
    data.remove();
  });
  beforeEach(() => {
    wall = Date.UTC(2025, 0, 1, 12, 0, 10);
    sim.limiter.reset();
    sim.stats.reset();
  });

  const as = (client: string) => ({ headers: { 'x-test-client': client } });
  const many = Array.from({ length: 21 }, (_, i) => `"S${i}"`).join(',');

  it.each([
    ['/api/v3/ping', 1],
    ['/api/v3/time', 1],
    ['/api/v3/exchangeInfo', 20],
    ['/api/v3/klines?symbol=AAAUSDT&interval=15m&limit=1000', 2],
    ['/api/v3/klines?symbol=AAAUSDT&interval=15m&limit=1', 2],
    ['/api/v3/ticker/24hr?symbol=AAAUSDT', 2],
    ['/api/v3/ticker/24hr?symbols=["AAAUSDT","BBBUSDT"]', 2],
    [`/api/v3/ticker/24hr?symbols=[${many}]`, 40],
    ['/api/v3/ticker/24hr', 80],
  ])('%s costs %i and reports it in both headers', async (path, weight) => {
    const first = await get(sim.url, path, as('w'));
    expect(first.headers.get('x-mbx-used-weight-1m')).toBe(String(weight));
    expect(first.headers.get('x-mbx-used-weight')).toBe(String(weight));
    const second = await get(sim.url, '/api/v3/ping', as('w'));
    expect(second.headers.get('x-mbx-used-weight-1m')).toBe(String(weight + 1));
  });

  it('weighs 101+ symbols at 80', async () => {
    sim.limiter.limit = 1000;
    const list = Array.from({ length: 101 }, (_, i) => `"S${i}"`).join(',');
    const res = await get(sim.url, `/api/v3/ticker/24hr?symbols=[${list}]`, as('w'));
    expect(res.headers.get('x-mbx-used-weight-1m')).toBe('80');
    sim.limiter.limit = 100;
  });

  it('counts per client and per calendar minute of the wall clock', async () => {
    await get(sim.url, '/api/v3/exchangeInfo', as('a'));
    const b = await get(sim.url, '/api/v3/ping', as('b'));
    expect(b.headers.get('x-mbx-used-weight-1m')).toBe('1');
    wall = Date.UTC(2025, 0, 1, 12, 1, 0);
    const a = await get(sim.url, '/api/v3/ping', as('a'));
    expect(a.headers.get('x-mbx-used-weight-1m')).toBe('1');
    const stats = sim.stats.snapshot();
    expect(stats.weightByMinute).toEqual([
      { minute: Date.UTC(2025, 0, 1, 12, 0), weight: 21 },
      { minute: Date.UTC(2025, 0, 1, 12, 1), weight: 1 },
    ]);
    expect(stats.totalRequests).toBe(3);
    expect(stats.bytesSent).toBeGreaterThan(0);
  });

  it('answers 429 with Retry-After past the limit, then 418 with a growing ban to a client that keeps calling', async () => {
    for (let i = 0; i < 5; i++)
      expect((await get(sim.url, '/api/v3/exchangeInfo', as('greedy'))).status).toBe(200);
    wall += 5_000; // 12:00:15
    const limited = await get(sim.url, '/api/v3/exchangeInfo', as('greedy'));
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('45');
    expect(limited.headers.get('x-mbx-used-weight-1m')).toBe('120');
    expect(limited.json).toEqual({
      code: -1003,
      msg: 'Too much request weight used; current limit is 100 request weight per 1 MINUTE. Please use WebSocket Streams for live updates to avoid polling the API.',
    });
    const banned = await get(sim.url, '/api/v3/ping', as('greedy'));
    expect(banned.status).toBe(418);
    expect(banned.headers.get('retry-after')).toBe('120');
    const until = wall + 120_000;
    expect(banned.json).toEqual({
      code: -1003,
      msg: `Way too much request weight used; IP banned until ${until}. Please use WebSocket Streams for live updates to avoid bans.`,
    });
    expect((await get(sim.url, '/api/v3/ping', as('polite'))).status).toBe(200);
    wall = until; // ban over
    expect((await get(sim.url, '/api/v3/ping', as('greedy'))).status).toBe(200);
    for (let i = 0; i < 5; i++) await get(sim.url, '/api/v3/exchangeInfo', as('greedy')); // 1 + 100 > 100: the 5th is a 429
    const second = await get(sim.url, '/api/v3/ping', as('greedy'));
    expect(second.status).toBe(418);
    expect(second.headers.get('retry-after')).toBe('240');
    expect(sim.stats.snapshot()).toMatchObject({ rejected429: 2, rejected418: 2, rejected: 4 });
  });

  it('lets a client that waits out Retry-After carry on', async () => {
    for (let i = 0; i < 6; i++) await get(sim.url, '/api/v3/exchangeInfo', as('patient'));
    wall = Date.UTC(2025, 0, 1, 12, 1, 0);
    const res = await get(sim.url, '/api/v3/ping', as('patient'));
    expect(res.status).toBe(200);
    expect(res.headers.get('x-mbx-used-weight-1m')).toBe('1');
  });

  it('can follow the virtual clock for the weight minute', async () => {
    const virtual = await startExchangeSim({
      dataDir: data.dir,
      symbols: ['BBBUSDT'],
      clock: { startTime: T0 + 30 * HOUR, paused: true },
      weightClock: 'virtual',
      log: false,
    });
    try {
      await get(virtual.url, '/api/v3/exchangeInfo');
      expect((await get(virtual.url, '/api/v3/ping')).headers.get('x-mbx-used-weight-1m')).toBe('21');
      virtual.clock.advance(60_000);
      expect((await get(virtual.url, '/api/v3/ping')).headers.get('x-mbx-used-weight-1m')).toBe('1');
    } finally {
      await virtual.close();
    }
  });
});
