import { ExchangeSim, startExchangeSim } from './exchange-sim';
import { CraftedFolder, HOUR, T0, writeCraftedFolder } from './test-support/crafted-data';
import { KlineRow, get } from './test-support/http';

describe('fault injection', () => {
  let data: CraftedFolder;
  let sim: ExchangeSim;
  const NOW = T0 + 30 * HOUR + 10 * 60_000;
  beforeAll(async () => {
    data = writeCraftedFolder();
    sim = await startExchangeSim({ dataDir: data.dir, clock: { startTime: NOW, paused: true }, log: false });
  });
  afterAll(async () => {
    await sim.close();
    data.remove();
  });
  beforeEach(() => {
    sim.faults.reset();
    sim.stats.reset();
  });

  it('adds latency with jitter', async () => {
    sim.faults.set({ latencyMs: 60, jitterMs: 10 });
    const started = performance.now();
    await get(sim.url, '/api/v3/ping');
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(49);
    expect(elapsed).toBeLessThan(400);
  });

  it.each([
    [
      'internal',
      500,
      { code: -1001, msg: 'Internal error; unable to process your request. Please try again.' },
    ],
    [
      'busy',
      503,
      {
        code: -1008,
        msg: 'Server is currently overloaded with other requests. Please try again in a few minutes.',
      },
    ],
  ] as const)('answers a %s 5xx with a Binance body', async (kind, status, body) => {
    sim.faults.failNext(kind);
    const res = await get(sim.url, '/api/v3/klines?symbol=AAAUSDT&interval=1h');
    expect(res.status).toBe(status);
    expect(res.json).toEqual(body);
    expect((await get(sim.url, '/api/v3/ping')).status).toBe(200);
  });

  it.each([
    ['bad-gateway', 502],
    ['unavailable', 503],
  ] as const)('answers a plain %s %i with an HTML body', async (kind, status) => {
    sim.faults.failNext(kind);
    const res = await get(sim.url, '/api/v3/time');
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toBe('text/html');
    expect(res.json).toBeUndefined();
  });

  it('draws 5xx at the configured rate, only on the chosen endpoints', async () => {
    sim.faults.set({ errorRate: 0.5, errorKinds: ['busy'], endpoints: ['/api/v3/klines'], seed: 42 });
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++)
      statuses.push((await get(sim.url, '/api/v3/klines?symbol=AAAUSDT&interval=1h&limit=1')).status);
    const failures = statuses.filter((s) => s === 503).length;
    expect(failures).toBeGreaterThan(8);
    expect(failures).toBeLessThan(32);
    for (let i = 0; i < 10; i++) expect((await get(sim.url, '/api/v3/ping')).status).toBe(200);
    expect(sim.stats.snapshot().faultsInjected.errors).toBe(failures);
  });

  it('is deterministic under a seed', async () => {
    const run = async () => {
      sim.faults.set({ seed: 7, errorRate: 0.3, hangRate: 0, malformedRate: 0.2 });
      const out: string[] = [];
      for (let i = 0; i < 25; i++) {
        const res = await get(sim.url, '/api/v3/time');
        out.push(`${res.status}:${res.json === undefined ? 'bad' : 'ok'}`);
      }
      return out.join(' ');
    };
    const first = await run();
    const second = await run();
    expect(second).toBe(first);
    expect(first).toMatch(/ok/);
    expect(first).toMatch(/5\d\d|bad/);
  });

  it('hangs: never answering, or answering late', async () => {
    sim.faults.failNext('hang');
    await expect(fetch(`${sim.url}/api/v3/ping`, { signal: AbortSignal.timeout(150) })).rejects.toThrow();
    sim.faults.set({ hangMs: 120 });
    sim.faults.failNext('hang');
    const started = performance.now();
    const late = await get(sim.url, '/api/v3/ping');
    expect(late.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(110);
    expect(sim.stats.snapshot().faultsInjected.hangs).toBe(2);
  });

  it('sends malformed JSON with status 200', async () => {
    sim.faults.failNext('malformed');
    const res = await get(sim.url, '/api/v3/klines?symbol=AAAUSDT&interval=1h&limit=5');
    expect(res.status).toBe(200);
    expect(res.text.length).toBeGreaterThan(0);
    expect(() => JSON.parse(res.text)).toThrow();
  });

  const lastClosed = T0 + 29 * HOUR;

  it.each([
    ['non-numeric', (row: unknown[]) => Number.isNaN(Number(row[4]))],
    ['high-below-low', (row: unknown[]) => Number(row[2]) < Number(row[3])],
    ['negative-volume', (row: unknown[]) => Number(row[5]) < 0],
    ['missing-field', (row: unknown[]) => row.length === 11],
  ] as const)('corrupts a row: %s', async (kind, isBroken) => {
    sim.faults.set({ badRows: [{ symbol: 'AAAUSDT', interval: '1h', kind }] });
    const rows = (await get<unknown[][]>(sim.url, '/api/v3/klines?symbol=AAAUSDT&interval=1h&limit=4')).json;
    expect(rows).toHaveLength(4);
    const broken = rows.filter((r) => isBroken(r));
    expect(broken).toHaveLength(1);
    expect(broken[0]![0]).toBe(lastClosed); // newest closed row by default
    const other = (await get<unknown[][]>(sim.url, '/api/v3/klines?symbol=AAAUSDT&interval=15m&limit=4'))
      .json;
    expect(other.filter((r) => isBroken(r))).toHaveLength(0);
    expect(sim.stats.snapshot().faultsInjected.badRows).toBe(1);
  });

  it('drops a candle (gap), by default the newest closed one, or a chosen one', async () => {
    sim.faults.set({ gaps: [{ symbol: 'AAAUSDT', interval: '1h' }] });
    let rows = (await get<KlineRow[]>(sim.url, '/api/v3/klines?symbol=AAAUSDT&interval=1h&limit=4')).json;
    expect(rows.map((r) => r[0])).toEqual([T0 + 27 * HOUR, T0 + 28 * HOUR, T0 + 30 * HOUR]);
    sim.faults.set({ gaps: [{ symbol: 'AAAUSDT', openTime: T0 + 28 * HOUR }] });
    rows = (await get<KlineRow[]>(sim.url, '/api/v3/klines?symbol=AAAUSDT&interval=1h&limit=4')).json;
    expect(rows.map((r) => r[0])).toEqual([T0 + 27 * HOUR, T0 + 29 * HOUR, T0 + 30 * HOUR]);
  });

  it('forces 429 and 418 windows', async () => {
    sim.faults.force429(5_000);
    const limited = await get(sim.url, '/api/v3/ping');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(4);
    const banned = await get(sim.url, '/api/v3/ping');
    expect(banned.status).toBe(418);
    expect(banned.headers.get('retry-after')).toBe('120');
    sim.faults.reset();
    sim.faults.forceBan(3_000);
    const forced = await get(sim.url, '/api/v3/time');
    expect(forced.status).toBe(418);
    expect(Number(forced.headers.get('retry-after'))).toBeLessThanOrEqual(3);
    expect((forced.json as { code: number }).code).toBe(-1003);
  });
});
