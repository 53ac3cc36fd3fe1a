import { Injectable, Logger } from '@nestjs/common';
import { BinanceInterval } from '../config';
import { BinanceClient } from './binance-client';
import { CandleGapStore } from './candle-gap-store';
import { CandleSeriesBatch, CandleStore, seriesKey } from './candle-store';
import { ExchangeClock } from './exchange-clock';
import { ExchangeHaltMonitor } from './exchange-halt';
import { intervalMs } from './interval-ms';
import { mapWithConcurrency } from './map-with-concurrency';
import { SeriesSyncResult } from './market-candle';
import { UnknownSymbolError } from './market-data.errors';
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

/** Per series, when it last had a candle: what tells a halted exchange from a trading one. */
interface Quiet {
  result: SeriesSyncResult;
  /** No candle opened at or after this time (null: the series traded). */
  since: number | null;
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
    private readonly gaps: CandleGapStore,
    private readonly clock: ExchangeClock,
    private readonly halts: ExchangeHaltMonitor,
  ) {}

  async sync(
    symbols: readonly string[],
    intervals: readonly BinanceInterval[],
    concurrency = SYNC_CONCURRENCY,
  ): Promise<SeriesSyncResult[]> {
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
    // Open-candle observations are stamped with the exchange's clock, measured now (weight 1).
    await this.clock.refresh();
    const quiet: Quiet[] = [];
    const results = await mapWithConcurrency(pairs, concurrency, async ({ symbol, interval }) => {
      const result: SeriesSyncResult = { symbol, interval, newClosed: [], openCandle: null };
      try {
        const fetched = await fetchNewCandles(
          this.client,
          symbol,
          interval,
          lastOpen.get(seriesKey(symbol, interval)),
          () => this.clock.now(),
        );
        // The holes first: if storing them fails, the candles after them are not stored either and the next scan finds both again.
        if (fetched.gaps.length > 0) await this.gaps.record(fetched.gaps);
        result.newClosed = fetched.closed;
        result.openCandle = fetched.open;
        result.observedAt = fetched.observedAt;
        result.gaps = fetched.gaps;
        if (fetched.open === null && !fetched.behind && fetched.quietSince === null)
          result.error = `${symbol} ${interval}: the exchange has no candle of it`;
        else
          quiet.push({
            result,
            since: quietSince(fetched.quietSince, fetched.open, interval, fetched.observedAt),
          });
        if (fetched.closed.length > 0) {
          pending.push({ batch: { symbol, interval, candles: fetched.closed }, result });
          pendingRows += fetched.closed.length;
          if (pendingRows >= FLUSH_ROWS) await flush();
        }
      } catch (error) {
        result.error = (error as Error).message;
        if (error instanceof UnknownSymbolError) result.unknownSymbol = true;
      }
      return result;
    });
    await flush();
    await this.judgeQuietSeries(quiet, results.length);
    markStale(results);
    await this.recordStatuses(results, Date.now());
    return results;
  }

  /**
   * Every series answered and none has a new candle: a whole-exchange halt when exchangeInfo agrees
   * (recorded, no error per series); otherwise a series with nothing at or after its next open time is
   * reported as not trading. A series that traded ends a recorded halt.
   */
  private async judgeQuietSeries(quiet: readonly Quiet[], total: number): Promise<void> {
    try {
      if (quiet.some((entry) => entry.since === null)) await this.halts.tradingSeen();
      else if (quiet.length === total && total > 0) {
        const since = Math.max(...quiet.map((entry) => entry.since as number));
        const halt = await this.halts.confirm([...new Set(quiet.map((entry) => entry.result.symbol))], since);
        if (halt !== null) return;
      }
    } catch (error) {
      this.logger.warn(`checking for an exchange halt failed: ${(error as Error).message}`);
    }
    for (const { result, since } of quiet) {
      if (result.openCandle === null && since !== null && result.error === undefined) {
        result.error = `${result.symbol} ${result.interval}: no candle at or after ${new Date(since).toISOString()} (trading suspended or the symbol stopped)`;
      }
    }
  }

  /** One statement for the whole sync; losing it costs only the freshness report, never the scan. */
  private async recordStatuses(results: readonly SeriesSyncResult[], syncedAt: number): Promise<void> {
    try {
      await this.statuses.recordAll(
        results.map((result) => ({
          symbol: result.symbol,
          interval: result.interval,
          syncedAt,
          openCandleTime: result.openCandle?.openTime ?? null,
          error: result.error ?? null,
        })),
      );
    } catch (error) {
      this.logger.error(
        `recording the sync status of ${results.length} series failed: ${(error as Error).message}`,
      );
    }
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
    if (result.openCandle !== null)
      newest.set(result.interval, Math.max(newest.get(result.interval) ?? 0, result.openCandle.openTime));
  }
  for (const result of results) {
    const latest = newest.get(result.interval);
    // One interval of lag is a candle that opened while the scan ran; two or more is a series that stopped.
    if (
      result.error === undefined &&
      result.openCandle !== null &&
      latest !== undefined &&
      latest - result.openCandle.openTime >= 2 * intervalMs(result.interval)
    ) {
      result.error = `${result.symbol} ${result.interval}: stale: newest candle opens at ${new Date(result.openCandle.openTime).toISOString()}, others at ${new Date(latest).toISOString()}`;
    }
  }
}

/**
 * When the series last had a candle open, if it has none since: nothing at or after the next open time,
 * or an open candle that should have closed two intervals ago by the exchange's clock (trading stopped
 * in the middle of it). Null when the series is trading.
 */
function quietSince(
  emptyFrom: number | null,
  open: { openTime: number } | null,
  interval: string,
  exchangeNow: number,
): number | null {
  if (emptyFrom !== null) return emptyFrom;
  if (open === null) return null;
  const step = intervalMs(interval);
  return open.openTime + 2 * step <= exchangeNow ? open.openTime + step : null;
}
