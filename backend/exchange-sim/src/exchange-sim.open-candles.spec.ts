import { ExchangeSim, startExchangeSim } from './exchange-sim';
import { KlineRow, get } from './test-support/http';

const FIVE_MIN = 300_000;
/** The 2024-08-05 crash and the day after: wide gaps between a candle's close and the next open. */
const FROM = Date.parse('2024-08-06T03:40:00Z');
const INSTANTS = 12;

/**
 * An open candle is what Binance shows at that instant: its close is the last traded price, inside its
 * wicks (low ≤ min(open, close), high ≥ max(open, close)). The app rejects any other kline, and with it
 * every candle of the same response, so one bad open candle would keep a whole series from warming up.
 * Checked at 5-minute boundaries, where a coarser candle's newest finer candle has just opened.
 */
describe('GET /api/v3/klines: every open candle is a valid kline', () => {
  let sim: ExchangeSim;
  let symbols: string[];
  beforeAll(async () => {
    sim = await startExchangeSim({
      intervals: ['5m', '15m', '1h', '4h'],
      syntheticSymbols: 34,
      clock: { startTime: FROM, paused: true },
      log: false,
    });
    const info = await get<{ symbols: { symbol: string }[] }>(sim.url, '/api/v3/exchangeInfo');
    symbols = info.json.symbols.map((s) => s.symbol);
  });
  afterAll(async () => {
    await sim.close();
  });

  it('at each 5-minute boundary, for every symbol and coarser interval', async () => {
    const invalid: string[] = [];
    let checked = 0;
    for (let i = 0; i < INSTANTS; i++) {
      const now = FROM + i * FIVE_MIN;
      sim.clock.set(now);
      for (const symbol of symbols)
        for (const interval of ['15m', '1h', '4h']) {
          const res = await get<KlineRow[]>(
            sim.url,
            `/api/v3/klines?symbol=${symbol}&interval=${interval}&limit=1`,
          );
          const row = res.json?.[0];
          if (res.status !== 200 || row === undefined) continue;
          checked++;
          const [open, high, low, close] = [row[1], row[2], row[3], row[4]].map(Number);
          if (low > Math.min(open, close) || high < Math.max(open, close))
            invalid.push(
              `${symbol} ${interval} at ${new Date(now).toISOString()}: o ${open} h ${high} l ${low} c ${close}`,
            );
        }
    }
    expect(checked).toBeGreaterThan(symbols.length * 3 * INSTANTS * 0.9);
    expect(invalid).toEqual([]);
  });
});
