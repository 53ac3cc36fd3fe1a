import { ExchangeSim, startExchangeSim } from './exchange-sim';
import { CraftedFolder, HOUR, MIN15, T0, writeCraftedFolder } from './test-support/crafted-data';
import { KlineRow, get } from './test-support/http';

/**
 * The scanner decides a candle that touched both a signal's stop and its target from the finer candles
 * of its span (GET /api/v3/klines with a finer interval over the candle's open..close time). The
 * simulator serves finer candles only from its data, never synthesised, so they agree with their parent:
 * first open = its open, last close = its close, highest high = its high, lowest low = its low — also for
 * cloned symbols, whose prices are scaled and rounded per row.
 */
describe('GET /api/v3/klines: finer candles inside a closed candle agree with it', () => {
  let folder: CraftedFolder;
  let sim: ExchangeSim;
  beforeAll(async () => {
    folder = writeCraftedFolder();
    sim = await startExchangeSim({
      dataDir: folder.dir,
      clock: { startTime: T0 + 48 * HOUR, paused: true },
      syntheticSymbols: { count: 2, seed: 11 },
      log: false,
    });
  });
  afterAll(async () => {
    await sim.close();
    folder.remove();
  });

  async function klines(symbol: string, interval: string, query: string): Promise<KlineRow[]> {
    const res = await get<KlineRow[]>(
      sim.url,
      `/api/v3/klines?symbol=${symbol}&interval=${interval}&${query}`,
    );
    expect(res.status).toBe(200);
    return res.json;
  }

  it.each(['AAAUSDT', 'SYM001USDT'])(
    '%s: the 15m candles of each closed 1h candle aggregate to it',
    async (symbol) => {
      const parents = await klines(symbol, '1h', `startTime=${T0 + 24 * HOUR}&endTime=${T0 + 47 * HOUR}`);
      expect(parents).toHaveLength(24);
      for (const parent of parents) {
        const span = `startTime=${parent[0]}&endTime=${parent[6]}&limit=1000`;
        const children = await klines(symbol, '15m', span);
        expect(children.map((c) => c[0])).toEqual([0, 1, 2, 3].map((i) => parent[0] + i * MIN15));
        expect(children.at(-1)![6]).toBe(parent[6]);
        const n = (x: string | number) => Number(x);
        expect({
          open: n(children[0]![1]),
          high: Math.max(...children.map((c) => n(c[2]))),
          low: Math.min(...children.map((c) => n(c[3]))),
          close: n(children.at(-1)![4]),
        }).toEqual({ open: n(parent[1]), high: n(parent[2]), low: n(parent[3]), close: n(parent[4]) });
      }
    },
  );

  it('has no finer candles where its data has none (an empty answer, nothing invented)', async () => {
    expect(
      await klines('AAAUSDT', '1m', `startTime=${T0 + 24 * HOUR}&endTime=${T0 + 25 * HOUR - 1}`),
    ).toEqual([]);
    expect(
      await klines('BBBUSDT', '15m', `startTime=${T0 + 24 * HOUR}&endTime=${T0 + 25 * HOUR - 1}`),
    ).toEqual([]);
  });
});
