import { ExchangeSim, startExchangeSim } from './exchange-sim';
import { CraftedFolder, HOUR, MIN15, T0, writeCraftedFolder } from './test-support/crafted-data';
import { KlineRow, get } from './test-support/http';

const DECIMAL_8 = /^-?\d+\.\d{8}$/;

describe('GET /api/v3/klines on bundled data', () => {
  let sim: ExchangeSim;
  beforeAll(async () => {
    sim = await startExchangeSim({
      symbols: ['BTCUSDT', 'PEPEUSDT'],
      intervals: ['5m', '1h'],
      clock: { startTime: '2024-08-05T10:07:30Z', paused: true },
      log: false,
    });
  });
  afterAll(() => sim.close());

  it('returns 12-field rows with numbers for times and 8-decimal strings for prices and volumes', async () => {
    const res = await get<KlineRow[]>(sim.url, '/api/v3/klines?symbol=PEPEUSDT&interval=5m&limit=3');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    expect(res.json).toHaveLength(3);
    for (const row of res.json) {
      expect(row).toHaveLength(12);
      expect(typeof row[0]).toBe('number');
      expect(typeof row[6]).toBe('number');
      expect(typeof row[8]).toBe('number');
      for (const i of [1, 2, 3, 4, 5, 7, 9, 10]) expect(row[i]).toMatch(DECIMAL_8);
      expect(row[11]).toBe('0');
      expect(row[6]).toBe(row[0] + 300_000 - 1);
    }
  });

  it('serves the real candle values of the data file', async () => {
    const res = await get<KlineRow[]>(
      sim.url,
      `/api/v3/klines?symbol=BTCUSDT&interval=5m&startTime=1722211200000&limit=1`,
    );
    expect(res.json[0]).toEqual([
      1722211200000,
      '68249.88000000',
      '68279.63000000',
      '68190.00000000',
      '68190.00000000',
      '66.80992000',
      1722211499999,
      '4555768.44480000',
      0,
      '0.00000000',
      '0.00000000',
      '0',
    ]);
  });

  it('defaults to 500 rows, allows 1000 and rejects 1001 or 0 with -1130', async () => {
    expect((await get<KlineRow[]>(sim.url, '/api/v3/klines?symbol=BTCUSDT&interval=5m')).json).toHaveLength(
      500,
    );
    expect(
      (await get<KlineRow[]>(sim.url, '/api/v3/klines?symbol=BTCUSDT&interval=5m&limit=1000')).json,
    ).toHaveLength(1000);
    for (const limit of ['1001', '0']) {
      const res = await get(sim.url, `/api/v3/klines?symbol=BTCUSDT&interval=5m&limit=${limit}`);
      expect(res.status).toBe(400);
      expect(res.json).toEqual({ code: -1130, msg: "Data sent for parameter 'limit' is not valid." });
    }
  });

  it('never returns a candle opened after virtual now; the newest is the open one', async () => {
    const now = sim.clock.now();
    const rows = (await get<KlineRow[]>(sim.url, '/api/v3/klines?symbol=BTCUSDT&interval=1h&limit=5')).json;
    expect(rows.at(-1)![0]).toBe(Date.parse('2024-08-05T10:00:00Z'));
    expect(rows.every((r) => r[0] <= now)).toBe(true);
    expect(rows.at(-1)![6]).toBeGreaterThan(now);
    const later = await get<KlineRow[]>(
      sim.url,
      `/api/v3/klines?symbol=BTCUSDT&interval=1h&startTime=${now + 1}`,
    );
    expect(later.json).toEqual([]);
  });

  it('builds the open 1h candle from the 5m candles opened so far', async () => {
    const h = (await get<KlineRow[]>(sim.url, '/api/v3/klines?symbol=BTCUSDT&interval=1h&limit=1')).json[0]!;
    const m = (await get<KlineRow[]>(sim.url, `/api/v3/klines?symbol=BTCUSDT&interval=5m&startTime=${h[0]}`))
      .json;
    expect(m).toHaveLength(2); // 10:00 closed, 10:05 open
    expect(h[1]).toBe(m[0]![1]);
    expect(h[4]).toBe(m[1]![4]);
    expect(Number(h[2])).toBe(Math.max(Number(m[0]![2]), Number(m[1]![2])));
    expect(Number(h[3])).toBe(Math.min(Number(m[0]![3]), Number(m[1]![3])));
    expect(Number(h[5])).toBeCloseTo(Number(m[0]![5]) + Number(m[1]![5]), 8);
  });
});

describe('GET /api/v3/klines on crafted data', () => {
  let data: CraftedFolder;
  let sim: ExchangeSim;
  const at = (ms: number) => sim.clock.set(ms);
  const klines = async (q: string) => (await get<KlineRow[]>(sim.url, `/api/v3/klines?${q}`)).json;

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

  it('applies startTime (oldest first), endTime (newest up to it) and both, within virtual now', async () => {
    at(T0 + 48 * HOUR + 1);
    const fromStart = await klines(`symbol=BBBUSDT&interval=1h&startTime=${T0 + 10 * HOUR - 1}&limit=3`);
    expect(fromStart.map((r) => r[0])).toEqual([10, 11, 12].map((i) => T0 + i * HOUR));
    const toEnd = await klines(`symbol=BBBUSDT&interval=1h&endTime=${T0 + 10 * HOUR}&limit=3`);
    expect(toEnd.map((r) => r[0])).toEqual([8, 9, 10].map((i) => T0 + i * HOUR));
    const both = await klines(
      `symbol=BBBUSDT&interval=1h&startTime=${T0 + 5 * HOUR}&endTime=${T0 + 7 * HOUR + 5}&limit=10`,
    );
    expect(both.map((r) => r[0])).toEqual([5, 6, 7].map((i) => T0 + i * HOUR));
    const same = await klines(
      `symbol=BBBUSDT&interval=1h&startTime=${T0 + 5 * HOUR}&endTime=${T0 + 5 * HOUR}`,
    );
    expect(same).toHaveLength(1);
    const pastNow = await klines(
      `symbol=BBBUSDT&interval=1h&startTime=${T0 + 40 * HOUR}&endTime=${T0 + 70 * HOUR}`,
    );
    expect(pastNow.map((r) => r[0]).at(-1)).toBe(T0 + 48 * HOUR);
    const latest = await klines('symbol=BBBUSDT&interval=1h&limit=2');
    expect(latest.map((r) => r[0])).toEqual([T0 + 47 * HOUR, T0 + 48 * HOUR]);
    expect(await klines(`symbol=BBBUSDT&interval=1h&endTime=${T0 - 1}`)).toEqual([]);
  });

  it('shows the open 15m candle growing and the 1h candle rebuilt from the 15m ones', async () => {
    const hourOpen = T0 + 30 * HOUR;
    const k = 30 * 4; // first 15m candle of that hour
    at(hourOpen + 40 * 60_000); // 15m candles k, k+1 closed; k+2 open for 10 of its 15 minutes
    const q15 = await klines(`symbol=AAAUSDT&interval=15m&startTime=${hourOpen}`);
    expect(q15.map((r) => r[0])).toEqual([hourOpen, hourOpen + MIN15, hourOpen + 2 * MIN15]);
    const open15 = q15[2]!;
    const final15 = data.aaa15m[k + 2]!;
    const f = 10 / 15;
    expect(Number(open15[1])).toBe(final15.open);
    expect(Number(open15[4])).toBeCloseTo(final15.open + (final15.close - final15.open) * f, 2);
    expect(Number(open15[5])).toBeCloseTo(final15.volume * f, 3);
    expect(Number(open15[2])).toBeLessThanOrEqual(final15.high);
    expect(Number(open15[3])).toBeGreaterThanOrEqual(final15.low);

    const h = (await klines(`symbol=AAAUSDT&interval=1h&startTime=${hourOpen}`))[0]!;
    expect(h[6]).toBe(hourOpen + HOUR - 1);
    expect(Number(h[1])).toBe(data.aaa15m[k]!.open);
    expect(h[4]).toBe(open15[4]);
    expect(Number(h[5])).toBeCloseTo(
      data.aaa15m[k]!.volume + data.aaa15m[k + 1]!.volume + Number(open15[5]),
      6,
    );
    expect(Number(h[2])).toBe(Math.max(data.aaa15m[k]!.high, data.aaa15m[k + 1]!.high, Number(open15[2])));
    // the final close is not shown before the candle closes
    expect(Number(h[4])).not.toBe(data.aaa1h[30]!.close);
  });

  it('grows the open candle monotonically until it equals the stored one', async () => {
    const open = T0 + 20 * HOUR;
    let previous: KlineRow | undefined;
    for (let minute = 0; minute <= 60; minute += 5) {
      at(open + minute * 60_000 - (minute === 60 ? 1 : 0));
      const row = (await klines(`symbol=BBBUSDT&interval=1h&startTime=${open}&limit=1`))[0]!;
      if (previous) {
        expect(Number(row[2])).toBeGreaterThanOrEqual(Number(previous[2]));
        expect(Number(row[3])).toBeLessThanOrEqual(Number(previous[3]));
        expect(Number(row[5])).toBeGreaterThanOrEqual(Number(previous[5]));
      }
      previous = row;
    }
    const stored = data.bbb1h[20]!;
    expect(previous!.slice(1, 6).map(Number)).toEqual([
      stored.open,
      stored.high,
      stored.low,
      stored.close,
      stored.volume,
    ]);
  });

  it('shifts served times by the time offset, aligned to the largest interval', async () => {
    const offset = 10 * 24 * HOUR + 90 * 60_000; // 10 days 1.5 h -> 10 days 1 h for 1h data
    const shifted = await startExchangeSim({
      dataDir: data.dir,
      symbols: ['BBBUSDT'],
      timeOffset: offset,
      clock: { startTime: T0 + 10 * 24 * HOUR + HOUR + 5 * HOUR, paused: true },
      log: false,
    });
    try {
      expect(shifted.timeOffset).toBe(10 * 24 * HOUR + HOUR);
      const row = (await get<KlineRow[]>(shifted.url, '/api/v3/klines?symbol=BBBUSDT&interval=1h&limit=1'))
        .json[0]!;
      expect(row[0]).toBe(T0 + 5 * HOUR + shifted.timeOffset);
      expect(row[6]).toBe(row[0] + HOUR - 1);
      expect(Number(row[1])).toBe(data.bbb1h[5]!.open);
      const mapped = await startExchangeSim({
        dataDir: data.dir,
        symbols: ['BBBUSDT'],
        timeOffset: { mapDataTime: T0 + 24 * HOUR, to: Date.UTC(2030, 0, 1, 13, 20) },
        log: false,
        clock: { paused: true },
      });
      try {
        expect(mapped.timeOffset % HOUR).toBe(0);
        expect(mapped.clock.now()).toBe(Date.UTC(2030, 0, 1, 13, 20));
        const latest = (
          await get<KlineRow[]>(mapped.url, '/api/v3/klines?symbol=BBBUSDT&interval=1h&limit=1')
        ).json[0]!;
        expect(latest[0]).toBe(Date.UTC(2030, 0, 1, 13));
      } finally {
        await mapped.close();
      }
    } finally {
      await shifted.close();
    }
  });
});
