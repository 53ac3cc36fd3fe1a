import { ExchangeSim, startExchangeSim } from './exchange-sim';
import { CraftedFolder, HOUR, MIN15, T0, writeCraftedFolder } from './test-support/crafted-data';
import { KlineRow, get } from './test-support/http';

const NOW = T0 + 30 * HOUR + 10 * 60_000;
const h = (hours: number) => T0 + hours * HOUR;

interface SymbolInfo {
  symbol: string;
  status: string;
}

describe('market faults: holes, halts, delistings, clock offset', () => {
  let data: CraftedFolder;
  let sim: ExchangeSim;
  const openTimes = async (query: string) =>
    (await get<KlineRow[]>(sim.url, `/api/v3/klines?${query}`)).json.map((r) => r[0]);
  const listed = async (query = '') =>
    (await get<{ symbols: SymbolInfo[] }>(sim.url, `/api/v3/exchangeInfo${query}`)).json.symbols.map(
      (s) => `${s.symbol}:${s.status}`,
    );

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
    sim.clock.set(NOW);
  });

  it('skips a hole in one series exactly like Binance: the next open time jumps, limit counts real candles', async () => {
    sim.faults.set({ holes: [{ symbol: 'AAAUSDT', interval: '1h', from: h(27), to: h(29) }] });
    expect(await openTimes('symbol=AAAUSDT&interval=1h&limit=4')).toEqual([h(25), h(26), h(29), h(30)]);
    expect(await openTimes(`symbol=AAAUSDT&interval=1h&startTime=${h(27)}&limit=2`)).toEqual([h(29), h(30)]);
    expect(await openTimes(`symbol=AAAUSDT&interval=1h&endTime=${h(28) + MIN15}&limit=2`)).toEqual([
      h(25),
      h(26),
    ]);
    expect(await openTimes(`symbol=AAAUSDT&interval=15m&startTime=${h(27)}&limit=1`)).toEqual([h(27)]);
    expect(await openTimes(`symbol=BBBUSDT&interval=1h&startTime=${h(27)}&limit=1`)).toEqual([h(27)]);
    sim.clock.set(h(40));
    expect(await openTimes(`symbol=AAAUSDT&interval=1h&startTime=${h(26)}&limit=2`)).toEqual([h(26), h(29)]);
  });

  it('applies a hole without a symbol to every symbol and interval; coarser candles only partly inside it stay', async () => {
    sim.faults.set({ holes: [{ from: h(27), to: h(28) + 30 * 60_000 }] });
    expect(await openTimes(`symbol=BBBUSDT&interval=1h&startTime=${h(26)}&limit=3`)).toEqual([
      h(26),
      h(28),
      h(29),
    ]);
    const quarters = await openTimes(`symbol=AAAUSDT&interval=15m&startTime=${h(26) + 3 * MIN15}&limit=2`);
    expect(quarters).toEqual([h(26) + 3 * MIN15, h(28) + 2 * MIN15]);
  });

  it('while a hole covers now, the open candle stays as it was when trading stopped', async () => {
    sim.clock.set(h(30) + 5 * 60_000);
    const before = (await get<KlineRow[]>(sim.url, '/api/v3/klines?symbol=AAAUSDT&interval=15m&limit=2'))
      .json;
    sim.faults.set({ holes: [{ symbol: 'AAAUSDT', from: h(30) + 5 * 60_000, to: h(31) }] });
    sim.clock.set(h(30) + 14 * 60_000);
    const during = (await get<KlineRow[]>(sim.url, '/api/v3/klines?symbol=AAAUSDT&interval=15m&limit=2'))
      .json;
    expect(during).toEqual(before);
    sim.clock.set(h(30) + 20 * 60_000); // the 30h15 candle lies inside the hole: it never exists
    expect(await openTimes('symbol=AAAUSDT&interval=15m&limit=2')).toEqual([h(29) + 3 * MIN15, h(30)]);
  });

  it('reflects a hole in the 24h ticker: its candles add no volume and the last price is from before it', async () => {
    sim.faults.set({ holes: [{ symbol: 'AAAUSDT', from: h(29), to: h(31) }] });
    const ticker = (await get<Record<string, string | number>>(sim.url, '/api/v3/ticker/24hr?symbol=AAAUSDT'))
      .json;
    const window = data.aaa15m.filter((c) => c.openTime >= NOW - 24 * HOUR && c.openTime < h(29));
    expect(Number(ticker.lastPrice)).toBe(window[window.length - 1]!.close);
    expect(Number(ticker.volume)).toBeCloseTo(
      window.reduce((s, c) => s + c.volume, 0),
      6,
    );
  });

  it('halts the whole exchange: every status BREAK (or HALT) during it, no candles for any symbol in it', async () => {
    sim.faults.set({ halts: [{ from: h(30), to: h(31) }] });
    expect(await listed()).toEqual(['AAAUSDT:BREAK', 'BBBUSDT:BREAK']);
    expect(await listed('?symbolStatus=TRADING')).toEqual([]);
    sim.faults.set({ halts: [{ from: h(30), to: h(31), status: 'HALT' }] });
    expect(await listed('?symbol=BBBUSDT')).toEqual(['BBBUSDT:HALT']);
    sim.clock.set(h(31) + MIN15);
    expect(await listed()).toEqual(['AAAUSDT:TRADING', 'BBBUSDT:TRADING']);
    expect(await openTimes('symbol=BBBUSDT&interval=1h&limit=2')).toEqual([h(29), h(31)]);
    expect(await openTimes(`symbol=AAAUSDT&interval=15m&startTime=${h(29) + 3 * MIN15}&limit=2`)).toEqual([
      h(29) + 3 * MIN15,
      h(31),
    ]);
  });

  it('delists a symbol at a virtual time: gone from exchangeInfo, -1121 everywhere, back at `until` with a hole', async () => {
    sim.faults.set({ symbolEvents: [{ symbol: 'BBBUSDT', at: h(30), until: h(32), status: 'DELISTED' }] });
    expect(await listed()).toEqual(['AAAUSDT:TRADING']);
    const invalid = { code: -1121, msg: 'Invalid symbol.' };
    for (const path of [
      '/api/v3/exchangeInfo?symbol=BBBUSDT',
      '/api/v3/klines?symbol=BBBUSDT&interval=1h',
      '/api/v3/ticker/24hr?symbol=BBBUSDT',
      '/api/v3/ticker/24hr?symbols=["AAAUSDT","BBBUSDT"]',
    ]) {
      const res = await get(sim.url, path);
      expect([path, res.status, res.json]).toEqual([path, 400, invalid]);
    }
    const all = (await get<{ symbol: string }[]>(sim.url, '/api/v3/ticker/24hr')).json;
    expect(all.map((t) => t.symbol)).toEqual(['AAAUSDT']);
    sim.clock.set(h(32) + 1);
    expect(await listed('?symbol=BBBUSDT')).toEqual(['BBBUSDT:TRADING']);
    expect(await openTimes('symbol=BBBUSDT&interval=1h&limit=2')).toEqual([h(29), h(32)]);
  });

  it('halts one symbol at a virtual time: listed as HALT or BREAK, -1121 for its klines and ticker', async () => {
    sim.faults.set({ symbolEvents: [{ symbol: 'AAAUSDT', at: h(30) + 5 * 60_000, status: 'HALT' }] });
    expect(await listed('?symbolStatus=HALT')).toEqual(['AAAUSDT:HALT']);
    expect((await get(sim.url, '/api/v3/klines?symbol=AAAUSDT&interval=15m')).json).toEqual({
      code: -1121,
      msg: 'Invalid symbol.',
    });
    expect((await get(sim.url, '/api/v3/ticker/24hr?symbol=AAAUSDT')).status).toBe(400);
    sim.faults.set({ symbolEvents: [{ symbol: 'AAAUSDT', at: h(30) + 5 * 60_000, status: 'BREAK' }] });
    expect(await listed('?symbol=AAAUSDT')).toEqual(['AAAUSDT:BREAK']);
    sim.clock.set(h(30));
    expect(await listed('?symbol=AAAUSDT')).toEqual(['AAAUSDT:TRADING']);
  });

  it('runs the exchange clock behind the host: serverTime, the open candle and the close all lag by the offset', async () => {
    sim.faults.set({ clockOffsetMs: -300 });
    const close = h(30) + MIN15;
    sim.clock.set(close + 100);
    expect((await get<{ serverTime: number }>(sim.url, '/api/v3/time')).json.serverTime).toBe(close - 200);
    let newest = (await get<KlineRow[]>(sim.url, '/api/v3/klines?symbol=AAAUSDT&interval=15m&limit=1'))
      .json[0]!;
    expect(newest[0]).toBe(h(30));
    sim.clock.set(close + 300);
    newest = (await get<KlineRow[]>(sim.url, '/api/v3/klines?symbol=AAAUSDT&interval=15m&limit=1')).json[0]!;
    expect(newest[0]).toBe(close);
    sim.faults.set({ clockOffsetMs: 1500 });
    expect((await get<{ serverTime: number }>(sim.url, '/api/v3/exchangeInfo')).json.serverTime).toBe(
      close + 1800,
    );
  });

  it('rejects a hole whose end is not after its start, naming the problem', () => {
    expect(() => sim.faults.set({ holes: [{ from: h(2), to: h(1) }] })).toThrow(/from < to/);
  });
});
