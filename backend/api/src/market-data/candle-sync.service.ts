import { Injectable, Logger } from '@nestjs/common';
import { BinanceInterval } from '../config/app-config';
import { BinanceClient } from './binance-client';
import { CandleSeriesBatch, CandleStore, seriesKey } from './candle-store';
import { intervalMs } from './interval-ms';
import { mapWithConcurrency } from './map-with-concurrency';
import { SeriesSyncResult } from './market-candle';
import { fetchNewCandles } from './series-fetcher';
import { SeriesStatusRegistry } from './series-status-registry';

/**
 * Requests in flight per process. 1600 series at ~55 ms each need ≥ 18 in flight to fit in 5 s;
 * the weight budget, not this number, is what keeps us within Binance's limits.
 */
export const SYNC_CONCURRENCY = 32;
/** Closed candles buffered before they are written (keeps memory flat during a cold start). */
const FLUSH_ROWS = 5_000;

interface Pending {
  batch: CandleSeriesBatch;
  result: SeriesSyncResult;
}

/**
 * Brings the stored closed candles of symbols × intervals up to date and returns, per series, the
 * newly closed candles and the still-open one: exactly what the signal engine consumes.
 */
@Injectable()
export class CandleSyncService {
  private readonly logger = new Logger(CandleSyncService.name);

  constructor(
    private readonly client: BinanceClient,
    private readonly store: CandleStore,
    private readonly statuses: SeriesStatusRegistry,
  ) {}

  async sync(symbols: readonly string[], intervals: readonly BinanceInterval[], concurrency = SYNC_CONCURRENCY): Promise<SeriesSyncResult[]> {
    const lastOpen = await this.store.lastOpenTimes(symbols, intervals);
    const pairs = symbols.flatMap((symbol) => intervals.map((interval) => ({ symbol, interval })));
    let pending: Pending[] = [];
    let pendingRows = 0;
    let flushing: Promise<void> = Promise.resolve();
    const flush = (): Promise<void> => {
      const taken = pending;
      pending = [];
      pendingRows = 0;
      flushing = flushing.then(() => this.write(taken));
      return flushing;
    };
    const results = await mapWithConcurrency(pairs, concurrency, async ({ symbol, interval }) => {
      const result: SeriesSyncResult = { symbol, interval, newClosed: [], openCandle: null };
      try {
        const fetched = await fetchNewCandles(this.client, symbol, interval, lastOpen.get(seriesKey(symbol, interval)));
        result.newClosed = fetched.closed;
        result.openCandle = fetched.open;
        if (fetched.open === null && !fetched.behind) result.error = `${symbol} ${interval}: the exchange returned no open candle (halted or delisted?)`;
        if (fetched.closed.length > 0) {
          pending.push({ batch: { symbol, interval, candles: fetched.closed }, result });
          pendingRows += fetched.closed.length;
          if (pendingRows >= FLUSH_ROWS) await flush();
        }
      } catch (error) {
        result.error = (error as Error).message;
      }
      return result;
    });
    await flush();
    markStale(results);
    const now = Date.now();
    for (const result of results) {
      this.statuses.record({ symbol: result.symbol, interval: result.interval, syncedAt: now, openCandleTime: result.openCandle?.openTime ?? null, error: result.error ?? null });
    }
    return results;
  }

  private async write(pending: Pending[]): Promise<void> {
    if (pending.length === 0) return;
    try {
      await this.store.insert(pending.map((item) => item.batch));
    } catch (error) {
      this.logger.error(`storing candles of ${pending.length} series failed: ${(error as Error).message}`);
      for (const { result } of pending) {
        result.error = `${result.symbol} ${result.interval}: candles fetched but not stored: ${(error as Error).message}`;
        result.newClosed = [];
      }
    }
  }
}

/**
 * A series whose open candle lags two intervals or more behind the newest open candle seen for the same interval has stopped
 * updating at the exchange (halt, delisting, data problem): reported, never silently used.
 */
function markStale(results: SeriesSyncResult[]): void {
  const newest = new Map<string, number>();
  for (const result of results) {
    if (result.openCandle !== null) newest.set(result.interval, Math.max(newest.get(result.interval) ?? 0, result.openCandle.openTime));
  }
  for (const result of results) {
    const latest = newest.get(result.interval);
    // One interval of lag is a candle that opened while the scan ran; two or more is a series that stopped.
    if (result.error === undefined && result.openCandle !== null && latest !== undefined && latest - result.openCandle.openTime >= 2 * intervalMs(result.interval)) {
      result.error = `${result.symbol} ${result.interval}: stale: newest candle opens at ${new Date(result.openCandle.openTime).toISOString()}, others at ${new Date(latest).toISOString()}`;
    }
  }
}
