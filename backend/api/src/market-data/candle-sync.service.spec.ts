import { BinanceInterval } from '../config';
import { BinanceClient } from './binance-client';
import { KlinesQuery } from './binance.types';
import { CandleGap, CandleGapStore } from './candle-gap-store';
import { CandleSeriesBatch, CandleStore } from './candle-store';
import { CandleSyncService } from './candle-sync.service';
import { ExchangeClock } from './exchange-clock';
import { ExchangeHaltMonitor } from './exchange-halt';
import { MarketCandle } from './market-candle';
import { UnknownSymbolError } from './market-data.errors';
import { SeriesStatus, SeriesStatusRegistry } from './series-status-registry';

const M5 = 300_000;
const NOW_OPEN = Date.UTC(2024, 7, 5, 10, 0);

function candle(openTime: number): MarketCandle {
  return {
    openTime,
    closeTime: openTime + M5 - 1,
    open: 1,
    high: 2,
    low: 0.5,
    close: 1.5,
    volume: 10,
    quoteVolume: 15,
  };
}

/** Candles from `from` to `to` (open times, inclusive). */
function range(from: number, to: number): MarketCandle[] {
  const out: MarketCandle[] = [];
  for (let t = from; t <= to; t += M5) out.push(candle(t));
  return out;
}

/**
 * A fake exchange: each symbol's series ends with the open candle at `openBySymbol` (null: nothing
 * trades at or after the asked start), minus the open times in `missing` (a hole).
 */
function setup(
  lastStored: Record<string, number>,
  openBySymbol: Record<string, number | null>,
  options: { missing?: number[]; haltConfirmed?: boolean; exchangeNow?: number } = {},
) {
  const missing = new Set(options.missing ?? []);
  const calls: { symbol: string; query: KlinesQuery; expected: number | null }[] = [];
  const client = {
    klines: async (
      symbol: string,
      _interval: BinanceInterval,
      query: KlinesQuery,
      expected: number | null = null,
    ) => {
      calls.push({ symbol, query, expected });
      const open = openBySymbol[symbol];
      if (open === undefined)
        throw new UnknownSymbolError(400, -1121, 'Invalid symbol.', `klines ${symbol} 5m`);
      if (open === null) return [];
      const limit = query.limit ?? 500;
      const last = Math.min(open, query.endTime ?? open);
      const all = range(query.startTime ?? last - (limit + missing.size) * M5, last).filter(
        (c) => !missing.has(c.openTime),
      );
      return query.startTime === undefined ? all.slice(-limit) : all.slice(0, limit);
    },
  } as unknown as BinanceClient;
  const inserted: CandleSeriesBatch[] = [];
  const store = {
    lastOpenTimes: async () =>
      new Map(Object.entries(lastStored).map(([symbol, time]) => [`${symbol}|5m`, time])),
    insert: async (batches: CandleSeriesBatch[]) => {
      inserted.push(...batches);
      return batches.reduce((sum, batch) => sum + batch.candles.length, 0);
    },
  } as unknown as CandleStore;
  const statusWrites: SeriesStatus[][] = [];
  const statuses = {
    recordAll: async (written: SeriesStatus[]) => {
      statusWrites.push(written);
    },
  } as unknown as SeriesStatusRegistry;
  const recordedGaps: CandleGap[] = [];
  const gaps = {
    record: async (found: CandleGap[]) => recordedGaps.push(...found),
  } as unknown as CandleGapStore;
  const exchangeNow = options.exchangeNow ?? NOW_OPEN + 60_000;
  const clock = { refresh: async () => null, now: () => exchangeNow } as unknown as ExchangeClock;
  const haltChecks: { symbols: readonly string[]; since: number }[] = [];
  let tradingSeen = 0;
  const halts = {
    confirm: async (symbols: readonly string[], since: number) => {
      haltChecks.push({ symbols, since });
      return options.haltConfirmed ? { since, detectedAt: 0, statuses: ['BREAK'] } : null;
    },
    tradingSeen: async () => {
      tradingSeen++;
    },
  } as unknown as ExchangeHaltMonitor;
  const service = new CandleSyncService(client, store, statuses, gaps, clock, halts);
  return { service, calls, inserted, statusWrites, recordedGaps, haltChecks, tradingSeen: () => tradingSeen };
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

  it('steady state: asks from the open time after the last stored candle', async () => {
    const { service, calls, recordedGaps } = setup({ BTCUSDT: NOW_OPEN - 3 * M5 }, { BTCUSDT: NOW_OPEN });
    const [result] = await service.sync(['BTCUSDT'], ['5m']);
    expect(calls).toEqual([
      { symbol: 'BTCUSDT', query: { startTime: NOW_OPEN - 2 * M5, limit: 1000 }, expected: null },
    ]);
    expect(recordedGaps).toEqual([]);
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
    expect(results.map((r) => r.error ?? 'ok')).toEqual([
      'ok',
      'klines NOPEUSDT 5m: Binance rejected the request (HTTP 400, code -1121): Invalid symbol.',
      'ok',
    ]);
    expect(results[1].newClosed).toEqual([]);
    expect(results.map((r) => r.unknownSymbol ?? false)).toEqual([false, true, false]);
  });

  it('records the outcome of every series of a sync in one write, errors included', async () => {
    const { service, statusWrites } = setup({}, { BTCUSDT: NOW_OPEN });
    await service.sync(['BTCUSDT', 'NOPEUSDT'], ['5m']);
    expect(statusWrites).toHaveLength(1);
    expect(
      statusWrites[0].map(({ symbol, openCandleTime, error }) => ({ symbol, openCandleTime, error })),
    ).toEqual([
      { symbol: 'BTCUSDT', openCandleTime: NOW_OPEN, error: null },
      {
        symbol: 'NOPEUSDT',
        openCandleTime: null,
        error: 'klines NOPEUSDT 5m: Binance rejected the request (HTTP 400, code -1121): Invalid symbol.',
      },
    ]);
  });

  it('flags a series whose newest candle lags two intervals behind the others as stale, not one that lags one', async () => {
    const { service } = setup({}, { BTCUSDT: NOW_OPEN, ETHUSDT: NOW_OPEN - M5, OLDUSDT: NOW_OPEN - 2 * M5 });
    const results = await service.sync(['BTCUSDT', 'ETHUSDT', 'OLDUSDT'], ['5m']);
    expect(results[0].error).toBeUndefined();
    expect(results[1].error).toBeUndefined();
    expect(results[2].error).toBe(
      'OLDUSDT 5m: stale: newest candle opens at 2024-08-05T09:50:00.000Z, others at 2024-08-05T10:00:00.000Z',
    );
  });

  describe("holes in the exchange's candles (trading suspended)", () => {
    const HOLE = [NOW_OPEN - 12 * M5, NOW_OPEN - 11 * M5]; // 09:00 and 09:05 never existed

    it('confirms a hole before the first candle with one endTime-bounded request, records it and continues after it', async () => {
      const { service, calls, recordedGaps, inserted } = setup(
        { BTCUSDT: NOW_OPEN - 13 * M5 },
        { BTCUSDT: NOW_OPEN },
        { missing: HOLE },
      );
      const [result] = await service.sync(['BTCUSDT'], ['5m']);
      expect(calls.map((call) => call.query)).toEqual([
        { startTime: NOW_OPEN - 12 * M5, limit: 1000 },
        { startTime: NOW_OPEN - 12 * M5, endTime: NOW_OPEN - 10 * M5 - 1, limit: 1 },
      ]);
      expect(recordedGaps).toEqual([
        { symbol: 'BTCUSDT', interval: '5m', from: NOW_OPEN - 12 * M5, to: NOW_OPEN - 10 * M5 },
      ]);
      expect(result.error).toBeUndefined();
      expect(result.newClosed[0].openTime).toBe(NOW_OPEN - 10 * M5);
      expect(inserted[0].candles).toHaveLength(10);
      expect(result.gaps).toEqual(recordedGaps);
    });

    it('records a hole between the rows of one answer without asking again', async () => {
      const { service, calls, recordedGaps } = setup(
        { BTCUSDT: NOW_OPEN - 20 * M5 },
        { BTCUSDT: NOW_OPEN },
        { missing: HOLE },
      );
      const [result] = await service.sync(['BTCUSDT'], ['5m']);
      expect(calls).toHaveLength(1);
      expect(recordedGaps).toEqual([{ symbol: 'BTCUSDT', interval: '5m', from: HOLE[0], to: HOLE[1] + M5 }]);
      expect(result.newClosed).toHaveLength(19 - 2);
    });

    it('refuses answers that disagree (a candle inside the "hole" after all): nothing stored, the next scan retries', async () => {
      const { service, recordedGaps, inserted } = setup(
        { BTCUSDT: NOW_OPEN - 13 * M5 },
        { BTCUSDT: NOW_OPEN },
        { missing: HOLE },
      );
      const client = (
        service as unknown as { client: { klines: (...args: unknown[]) => Promise<MarketCandle[]> } }
      ).client;
      const honest = client.klines;
      client.klines = async (...args: unknown[]) =>
        (args[2] as KlinesQuery).endTime !== undefined ? [candle(HOLE[0])] : honest(...args);
      const [result] = await service.sync(['BTCUSDT'], ['5m']);
      expect(result.error).toMatch(/answers disagree.*2024-08-05T09:00:00.000Z/);
      expect(recordedGaps).toEqual([]);
      expect(inserted).toEqual([]);
    });

    it('a series with nothing at or after its next open time is reported as not trading when the others trade', async () => {
      const { service, haltChecks, tradingSeen } = setup(
        { BTCUSDT: NOW_OPEN - M5, ETHUSDT: NOW_OPEN - M5 },
        { BTCUSDT: NOW_OPEN, ETHUSDT: null },
      );
      const results = await service.sync(['BTCUSDT', 'ETHUSDT'], ['5m']);
      expect(results[0].error).toBeUndefined();
      expect(results[1].error).toBe(
        'ETHUSDT 5m: no candle at or after 2024-08-05T10:00:00.000Z (trading suspended or the symbol stopped)',
      );
      expect(haltChecks).toEqual([]);
      expect(tradingSeen()).toBe(1);
    });

    it('every series silent and exchangeInfo agrees: a whole-exchange halt, no error per series', async () => {
      const { service, haltChecks } = setup(
        { BTCUSDT: NOW_OPEN - M5, ETHUSDT: NOW_OPEN - M5 },
        { BTCUSDT: null, ETHUSDT: null },
        { haltConfirmed: true },
      );
      const results = await service.sync(['BTCUSDT', 'ETHUSDT'], ['5m']);
      expect(results.map((r) => r.error)).toEqual([undefined, undefined]);
      expect(haltChecks).toEqual([{ symbols: ['BTCUSDT', 'ETHUSDT'], since: NOW_OPEN }]);
    });

    it('every series stuck on an open candle that should have closed by the exchange clock: a halt candidate too', async () => {
      const { service, haltChecks } = setup(
        {},
        { BTCUSDT: NOW_OPEN },
        { haltConfirmed: true, exchangeNow: NOW_OPEN + 2 * M5 },
      );
      const [result] = await service.sync(['BTCUSDT'], ['5m']);
      expect(result.error).toBeUndefined();
      expect(haltChecks).toEqual([{ symbols: ['BTCUSDT'], since: NOW_OPEN + M5 }]);
    });

    it('every series silent but exchangeInfo still lists them as TRADING: each is reported', async () => {
      const { service, haltChecks } = setup(
        { BTCUSDT: NOW_OPEN - M5 },
        { BTCUSDT: null },
        { haltConfirmed: false },
      );
      const [result] = await service.sync(['BTCUSDT'], ['5m']);
      expect(haltChecks).toHaveLength(1);
      expect(result.error).toMatch(/no candle at or after/);
    });
  });
});
