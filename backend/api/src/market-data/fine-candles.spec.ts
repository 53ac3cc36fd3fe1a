import type { DataSource } from 'typeorm';
import type { BinanceClient } from './binance-client';
import { FineCandleService } from './fine-candles';
import type { MarketCandle } from './market-candle';
import { MarketDataError } from './market-data.errors';

const MINUTE = 60_000;
const T0 = Date.UTC(2024, 7, 5);

const minute = (openTime: number): MarketCandle => ({
  openTime,
  closeTime: openTime + MINUTE - 1,
  open: 100,
  high: 101,
  low: 99,
  close: 100.5,
  volume: 1,
  quoteVolume: 100,
});

/** fine_candles in memory behind the two statements the service makes, and a klines stand-in. */
function setup(exchange: (query: { startTime: number; endTime: number; limit: number }) => MarketCandle[]) {
  const table = new Map<number, MarketCandle>();
  const requests: { symbol: string; interval: string; startTime: number; endTime: number; limit: number }[] =
    [];
  const db = {
    query: (sql: string, params: unknown[]) => {
      if (sql.includes('INSERT INTO fine_candles')) {
        const [, opens, closes, o, h, l, c, v, q] = params as number[][];
        opens.forEach((openTime, i) => {
          if (!table.has(openTime))
            table.set(openTime, {
              openTime,
              closeTime: closes[i],
              open: o[i],
              high: h[i],
              low: l[i],
              close: c[i],
              volume: v[i],
              quoteVolume: q[i],
            });
        });
        return Promise.resolve([]);
      }
      const [, from, to] = params as [string, number, number];
      const rows = [...table.values()]
        .filter((row) => row.openTime >= from && row.openTime <= to)
        .sort((a, b) => a.openTime - b.openTime)
        .map((row) => ({
          open_time: String(row.openTime),
          close_time: String(row.closeTime),
          open: row.open,
          high: row.high,
          low: row.low,
          close: row.close,
          volume: row.volume,
          quote_volume: row.quoteVolume,
        }));
      return Promise.resolve(rows);
    },
  };
  const client = {
    klines: (
      symbol: string,
      interval: string,
      query: { startTime: number; endTime: number; limit: number },
    ): Promise<MarketCandle[]> => {
      requests.push({ symbol, interval, ...query });
      return Promise.resolve(exchange(query));
    },
  };
  const service = new FineCandleService(db as unknown as DataSource, client as unknown as BinanceClient);
  return { service, table, requests };
}

/** The exchange's 1m candles: every minute from `first` to `last`, the answer capped at `limit`. */
const minutesBetween =
  (first: number, last: number) => (q: { startTime: number; endTime: number; limit: number }) => {
    const out: MarketCandle[] = [];
    for (
      let t = Math.max(first, q.startTime);
      t <= Math.min(last, q.endTime) && out.length < q.limit;
      t += MINUTE
    )
      out.push(minute(t));
    return out;
  };

describe('FineCandleService', () => {
  const span5m = { symbol: 'BTCUSDT', openTime: T0, closeTime: T0 + 5 * MINUTE - 1 };

  it('fetches the 1m candles of a closed candle once, stores them, then answers from storage', async () => {
    const { service, table, requests } = setup(minutesBetween(T0 - 10 * MINUTE, T0 + 10 * MINUTE));
    const first = await service.forClosedSpan(span5m);
    expect(first.map((c) => c.openTime)).toEqual([0, 1, 2, 3, 4].map((i) => T0 + i * MINUTE));
    expect(requests).toEqual([
      { symbol: 'BTCUSDT', interval: '1m', startTime: T0, endTime: T0 + 5 * MINUTE - 1, limit: 1000 },
    ]);
    expect([...table.keys()].sort()).toEqual(first.map((c) => c.openTime));
    expect(await service.forClosedSpan(span5m)).toEqual(first);
    expect(requests).toHaveLength(1);
  });

  it('keeps only the minutes inside the span, and merges with what was stored', async () => {
    // The exchange has no minute 2 and answers one minute past the span.
    const { service, requests } = setup((q) =>
      minutesBetween(T0, T0 + 5 * MINUTE)(q).filter((c) => c.openTime !== T0 + 2 * MINUTE),
    );
    const answer = await service.forClosedSpan(span5m);
    expect(answer.map((c) => (c.openTime - T0) / MINUTE)).toEqual([0, 1, 3, 4]);
    // Incomplete: asked again next time (the exchange may have filled the hole).
    await service.forClosedSpan(span5m);
    expect(requests).toHaveLength(2);
  });

  it('pages a span longer than 1000 minutes (a 1d candle)', async () => {
    const day = { symbol: 'BTCUSDT', openTime: T0, closeTime: T0 + 1440 * MINUTE - 1 };
    const { service, requests } = setup(minutesBetween(T0, T0 + 2000 * MINUTE));
    const answer = await service.forClosedSpan(day);
    expect(answer).toHaveLength(1440);
    expect(requests.map((r) => r.startTime)).toEqual([T0, T0 + 1000 * MINUTE]);
  });

  it('answers empty when the exchange has no 1m candles there', async () => {
    const { service, table } = setup(() => []);
    expect(await service.forClosedSpan(span5m)).toEqual([]);
    expect(table.size).toBe(0);
  });

  it('refuses a span that is not whole minutes from a minute boundary', async () => {
    const { service, requests } = setup(() => []);
    await expect(service.forClosedSpan({ ...span5m, closeTime: span5m.closeTime + 1 })).rejects.toThrow(
      MarketDataError,
    );
    await expect(service.forClosedSpan({ ...span5m, openTime: T0 + 1 })).rejects.toThrow(
      /fine candles of BTCUSDT: span .* is not a whole number of minutes/,
    );
    expect(requests).toEqual([]);
  });
});
