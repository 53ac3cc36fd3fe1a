import { BinanceInterval } from '../config/app-config';
import { BinanceClient } from './binance-client';
import { KlinesQuery } from './binance.types';
import { CandleSeriesBatch, CandleStore } from './candle-store';
import { CandleSyncService } from './candle-sync.service';
import { MarketCandle } from './market-candle';
import { UnknownSymbolError } from './market-data.errors';
import { SeriesStatusRegistry } from './series-status-registry';

const M5 = 300_000;
const NOW_OPEN = Date.UTC(2024, 7, 5, 10, 0);

function candle(openTime: number): MarketCandle {
  return { openTime, closeTime: openTime + M5 - 1, open: 1, high: 2, low: 0.5, close: 1.5, volume: 10, quoteVolume: 15 };
}

/** Candles from `from` to `to` (open times, inclusive). */
function range(from: number, to: number): MarketCandle[] {
  const out: MarketCandle[] = [];
  for (let t = from; t <= to; t += M5) out.push(candle(t));
  return out;
}

/** A fake exchange: each symbol's series ends with the open candle at `openBySymbol`. */
function setup(lastStored: Record<string, number>, openBySymbol: Record<string, number>) {
  const calls: { symbol: string; query: KlinesQuery; expected: number | null }[] = [];
  const client = {
    klines: async (symbol: string, _interval: BinanceInterval, query: KlinesQuery, expected: number | null = null) => {
      calls.push({ symbol, query, expected });
      const open = openBySymbol[symbol];
      if (open === undefined) throw new UnknownSymbolError(400, -1121, 'Invalid symbol.', `klines ${symbol} 5m`);
      const limit = query.limit ?? 500;
      if (query.startTime === undefined) return range(open - (limit - 1) * M5, open);
      return range(query.startTime, open).slice(0, limit);
    },
  } as unknown as BinanceClient;
  const inserted: CandleSeriesBatch[] = [];
  const store = {
    lastOpenTimes: async () => new Map(Object.entries(lastStored).map(([symbol, time]) => [`${symbol}|5m`, time])),
    insert: async (batches: CandleSeriesBatch[]) => {
      inserted.push(...batches);
      return batches.reduce((sum, batch) => sum + batch.candles.length, 0);
    },
  } as unknown as CandleStore;
  const service = new CandleSyncService(client, store, new SeriesStatusRegistry());
  return { service, calls, inserted };
}

describe('CandleSyncService', () => {
  it('cold start: the newest 1000 klines, all but the open one stored', async () => {
    const { service, calls, inserted } = setup({}, { BTCUSDT: NOW_OPEN });
    const [result] = await service.sync(['BTCUSDT'], ['5m']);
    expect(calls).toEqual([{ symbol: 'BTCUSDT', query: { limit: 1000 }, expected: null }]);
    expect(result.newClosed).toHaveLength(999);
    expect(result.openCandle?.openTime).toBe(NOW_OPEN);
    expect(inserted[0].candles.at(-1)?.openTime).toBe(NOW_OPEN - M5);
  });

  it('steady state: asks from the open time after the last stored candle and requires continuity from it', async () => {
    const { service, calls } = setup({ BTCUSDT: NOW_OPEN - 3 * M5 }, { BTCUSDT: NOW_OPEN });
    const [result] = await service.sync(['BTCUSDT'], ['5m']);
    expect(calls).toEqual([{ symbol: 'BTCUSDT', query: { startTime: NOW_OPEN - 2 * M5, limit: 1000 }, expected: NOW_OPEN - 2 * M5 }]);
    expect(result.newClosed.map((c) => c.openTime)).toEqual([NOW_OPEN - 2 * M5, NOW_OPEN - M5]);
    expect(result.error).toBeUndefined();
  });

  it('pages through a long outage, overlapping one row so the open candle is never stored', async () => {
    const { service, calls, inserted } = setup({ BTCUSDT: NOW_OPEN - 1500 * M5 }, { BTCUSDT: NOW_OPEN });
    const [result] = await service.sync(['BTCUSDT'], ['5m']);
    expect(calls).toHaveLength(2);
    expect(calls[1].query.startTime).toBe(NOW_OPEN - 1500 * M5 + 1000 * M5);
    expect(result.newClosed).toHaveLength(1499);
    expect(result.openCandle?.openTime).toBe(NOW_OPEN);
    expect(new Set(inserted.flatMap((b) => b.candles.map((c) => c.openTime))).size).toBe(1499);
  });

  it('one failing symbol is reported without failing the others', async () => {
    const { service } = setup({}, { BTCUSDT: NOW_OPEN, ETHUSDT: NOW_OPEN });
    const results = await service.sync(['BTCUSDT', 'NOPEUSDT', 'ETHUSDT'], ['5m']);
    expect(results.map((r) => r.error ?? 'ok')).toEqual(['ok', 'klines NOPEUSDT 5m: Binance rejected the request (HTTP 400, code -1121): Invalid symbol.', 'ok']);
    expect(results[1].newClosed).toEqual([]);
  });

  it('flags a series whose newest candle lags two intervals behind the others as stale, not one that lags one', async () => {
    const { service } = setup({}, { BTCUSDT: NOW_OPEN, ETHUSDT: NOW_OPEN - M5, OLDUSDT: NOW_OPEN - 2 * M5 });
    const results = await service.sync(['BTCUSDT', 'ETHUSDT', 'OLDUSDT'], ['5m']);
    expect(results[0].error).toBeUndefined();
    expect(results[1].error).toBeUndefined();
    expect(results[2].error).toBe('OLDUSDT 5m: stale: newest candle opens at 2024-08-05T09:50:00.000Z, others at 2024-08-05T10:00:00.000Z');
  });
});
