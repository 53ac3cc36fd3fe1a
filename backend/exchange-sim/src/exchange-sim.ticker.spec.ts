import { ExchangeSim, startExchangeSim } from './exchange-sim';
import { CraftedFolder, HOUR, T0, writeCraftedFolder } from './test-support/crafted-data';
import { KlineRow, get } from './test-support/http';

type Ticker = Record<string, string | number>;

describe('GET /api/v3/ticker/24hr and exchangeInfo', () => {
  let data: CraftedFolder;
  let sim: ExchangeSim;
  beforeAll(async () => {
    data = writeCraftedFolder();
    sim = await startExchangeSim({
      dataDir: data.dir,
      clock: { startTime: T0 + 48 * HOUR, paused: true },
      log: false,
    });
  });
  afterAll(async () => {
    await sim.close();
    data.remove();
  });
  afterEach(() => {
    sim.symbols.restoreDataSymbols();
    sim.symbols.setExtraSymbols([]);
  });

  it('computes the rolling 24h window from the replayed candles as of virtual now', async () => {
    sim.clock.set(T0 + 48 * HOUR); // BBB candle 48 has just opened (no trades yet); window = candles 24..48
    const t = (await get<Ticker>(sim.url, '/api/v3/ticker/24hr?symbol=BBBUSDT')).json;
    const c = data.bbb1h;
    const window = c.slice(24, 48);
    const volume = window.reduce((s, x) => s + x.volume, 0);
    const quote = window.reduce((s, x) => s + x.volume * x.close, 0);
    expect(t).toEqual({
      symbol: 'BBBUSDT',
      priceChange: '24.00000000', // last = open of candle 48 (148), open = open of candle 24 (124)
      priceChangePercent: ((24 / 124) * 100).toFixed(3),
      weightedAvgPrice: (quote / volume).toFixed(8),
      prevClosePrice: c[23]!.close.toFixed(8),
      lastPrice: '148.00000000',
      lastQty: expect.any(String),
      bidPrice: '148.00000000',
      bidQty: expect.any(String),
      askPrice: '148.10000000',
      askQty: expect.any(String),
      openPrice: '124.00000000',
      highPrice: c[47]!.high.toFixed(8),
      lowPrice: c[24]!.low.toFixed(8),
      volume: volume.toFixed(8),
      quoteVolume: quote.toFixed(8),
      openTime: T0 + 24 * HOUR,
      closeTime: T0 + 48 * HOUR,
      firstId: expect.any(Number),
      lastId: expect.any(Number),
      count: 24,
    });
    expect((t.lastId as number) - (t.firstId as number) + 1).toBe(24);
    expect(t.priceChangePercent).toBe('19.355');
  });

  it('moves with the clock and includes the open candle', async () => {
    sim.clock.set(T0 + 48 * HOUR + 30 * 60_000);
    const t = (await get<Ticker>(sim.url, '/api/v3/ticker/24hr?symbol=BBBUSDT')).json;
    const open = (await get<KlineRow[]>(sim.url, '/api/v3/klines?symbol=BBBUSDT&interval=1h&limit=1'))
      .json[0]!;
    expect(t.lastPrice).toBe(open[4]);
    expect(t.openPrice).toBe('125.00000000'); // candle 24 opened before now − 24h
    expect(t.count).toBe(24);
    expect(Number(t.highPrice)).toBe(Math.max(data.bbb1h[47]!.high, Number(open[2])));
    expect(t.closeTime).toBe(sim.clock.now());
    expect(t.openTime).toBe(sim.clock.now() - 24 * HOUR);
  });

  it('answers MINI, symbols lists and all symbols as arrays', async () => {
    sim.clock.set(T0 + 40 * HOUR);
    const mini = (
      await get<Ticker[]>(sim.url, '/api/v3/ticker/24hr?symbols=%5B%22BBBUSDT%22,%22AAAUSDT%22%5D&type=MINI')
    ).json;
    expect(mini.map((m) => m.symbol)).toEqual(['BBBUSDT', 'AAAUSDT']);
    expect(Object.keys(mini[0]!).sort()).toEqual(
      [
        'symbol',
        'openPrice',
        'highPrice',
        'lowPrice',
        'lastPrice',
        'volume',
        'quoteVolume',
        'openTime',
        'closeTime',
        'firstId',
        'lastId',
        'count',
      ].sort(),
    );
    const all = (await get<Ticker[]>(sim.url, '/api/v3/ticker/24hr')).json;
    expect(all.map((a) => a.symbol).sort()).toEqual(['AAAUSDT', 'BBBUSDT']);
  });

  it('serves injected symbols, statuses and a fully crafted ticker list', async () => {
    sim.symbols.setExtraSymbols([
      { symbol: 'USDCUSDT', ticker: { lastPrice: 1.0001, volume: 5e9 } },
      { symbol: 'LUNAUSDT', status: 'BREAK', ticker: { lastPrice: 0.5, volume: 1e6, openPrice: 1 } },
    ]);
    const usdc = (await get<Ticker>(sim.url, '/api/v3/ticker/24hr?symbol=USDCUSDT')).json;
    expect(usdc).toMatchObject({
      lastPrice: '1.00010000',
      volume: '5000000000.00000000',
      quoteVolume: '5000500000.00000000',
    });
    const luna = (await get<Ticker>(sim.url, '/api/v3/ticker/24hr?symbol=LUNAUSDT')).json;
    expect(luna.priceChangePercent).toBe('-50.000');
    const breakOnly = (
      await get<{ symbols: { symbol: string; status: string }[] }>(
        sim.url,
        '/api/v3/exchangeInfo?symbolStatus=BREAK',
      )
    ).json;
    expect(breakOnly.symbols.map((s) => s.symbol)).toEqual(['LUNAUSDT']);
    expect((await get(sim.url, '/api/v3/klines?symbol=USDCUSDT&interval=5m')).json).toEqual([]);

    sim.symbols.replaceSymbols([{ symbol: 'ONLYUSDT', ticker: { lastPrice: 2, volume: 10 } }]);
    const crafted = (await get<Ticker[]>(sim.url, '/api/v3/ticker/24hr')).json;
    expect(crafted.map((c) => c.symbol)).toEqual(['ONLYUSDT']);
    expect((await get(sim.url, '/api/v3/ticker/24hr?symbol=AAAUSDT')).json).toEqual({
      code: -1121,
      msg: 'Invalid symbol.',
    });
  });

  it('describes symbols like the live exchangeInfo', async () => {
    const info = (
      await get<Record<string, unknown> & { symbols: Record<string, unknown>[] }>(
        sim.url,
        '/api/v3/exchangeInfo?symbols=["AAAUSDT"]',
      )
    ).json;
    expect(info).toMatchObject({
      timezone: 'UTC',
      serverTime: sim.clock.now(),
      rateLimits: expect.arrayContaining([
        { rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: 6000 },
      ]),
      exchangeFilters: [],
    });
    expect(info.symbols).toHaveLength(1);
    const s = info.symbols[0]!;
    expect(s).toMatchObject({
      symbol: 'AAAUSDT',
      status: 'TRADING',
      baseAsset: 'AAA',
      quoteAsset: 'USDT',
      permissions: [],
      isSpotTradingAllowed: true,
    });
    const filters = s.filters as Record<string, string>[];
    expect(filters.find((f) => f.filterType === 'PRICE_FILTER')).toMatchObject({ tickSize: '0.01000000' });
    expect(filters.find((f) => f.filterType === 'LOT_SIZE')).toMatchObject({ stepSize: '1.00000000' });
  });

  it('adds cloned symbols with scaled prices for scale tests', async () => {
    const scaled = await startExchangeSim({
      dataDir: data.dir,
      symbols: ['BBBUSDT'],
      syntheticSymbols: 3,
      extraSymbols: 'universe-test',
      clock: { startTime: T0 + 30 * HOUR, paused: true },
      log: false,
    });
    try {
      const info = (await get<{ symbols: { symbol: string }[] }>(scaled.url, '/api/v3/exchangeInfo')).json;
      const names = info.symbols.map((s) => s.symbol);
      expect(names).toEqual(
        expect.arrayContaining([
          'BBBUSDT',
          'SYM001USDT',
          'SYM002USDT',
          'SYM003USDT',
          'USDCUSDT',
          'BTCUPUSDT',
          'ETHBTC',
          'LUNAUSDT',
        ]),
      );
      const real = (await get<KlineRow[]>(scaled.url, '/api/v3/klines?symbol=BBBUSDT&interval=1h&limit=3'))
        .json;
      const clone = (
        await get<KlineRow[]>(scaled.url, '/api/v3/klines?symbol=SYM001USDT&interval=1h&limit=3')
      ).json;
      expect(clone.map((r) => r[0])).toEqual(real.map((r) => r[0]));
      const factor = Number(clone[0]![1]) / Number(real[0]![1]);
      expect(factor).toBeGreaterThanOrEqual(0.5);
      expect(factor).toBeLessThan(2);
      expect(Number(clone[1]![1]) / Number(real[1]![1])).toBeCloseTo(factor, 2);
      const t = (await get<Ticker>(scaled.url, '/api/v3/ticker/24hr?symbol=SYM001USDT')).json;
      expect(t.lastPrice).toBe(clone[2]![4]);
    } finally {
      await scaled.close();
    }
  });
});
