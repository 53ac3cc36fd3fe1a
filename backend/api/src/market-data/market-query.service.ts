import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { AppConfig } from '../config';
import { CandleGapStore, toWireGap } from './candle-gap-store';
import { CandleStore, seriesKey, StoredSeriesInfo } from './candle-store';
import type { CandlesResponse, IndicatorSeries, MarketSymbol, SymbolFreshness } from '@scanner/contracts';
import { INDICATOR_SERIES_KEYS } from '@scanner/contracts';
import { IndicatorSeriesService } from '../indicators';
import { intervalMs } from './interval-ms';
import { SeriesStatus, SeriesStatusRegistry } from './series-status-registry';
import { UniverseService } from './universe.service';

/** Indicators need this many earlier candles to be warm at the first one shown (EMA200 and more). */
const WARMUP = 500;
/** Holes in the exchange's candles listed per symbol (newest first). */
const GAPS_PER_SYMBOL = 20;

/** Read side of the market endpoints: the universe with data freshness, stored candles. */
@Injectable()
export class MarketQueryService {
  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    private readonly universe: UniverseService,
    private readonly store: CandleStore,
    private readonly statuses: SeriesStatusRegistry,
    private readonly indicators: IndicatorSeriesService,
    private readonly gaps: CandleGapStore,
  ) {}

  async symbols(now: number = Date.now()): Promise<MarketSymbol[]> {
    const members = await this.universe.members();
    const symbols = members.map((member) => member.symbol);
    const [infos, statuses, gaps] = await Promise.all([
      this.store.seriesInfo(symbols),
      this.statuses.forSymbols(symbols),
      this.gaps.forSymbols(symbols, this.config.scanTimeframes, GAPS_PER_SYMBOL),
    ]);
    const stored = new Map<string, StoredSeriesInfo>();
    const newestClose = new Map<string, number>();
    for (const info of infos) {
      stored.set(seriesKey(info.symbol, info.interval), info);
      newestClose.set(info.interval, Math.max(newestClose.get(info.interval) ?? 0, info.lastCloseTime));
    }
    return members.map((member) => ({
      symbol: member.symbol,
      rank: member.universeRank,
      baseAsset: member.baseAsset,
      quoteAsset: member.quoteAsset,
      status: member.status,
      tickSize: member.tickSize,
      lastPrice: member.lastPrice,
      priceChangePercent: member.priceChangePercent,
      highPrice: member.highPrice,
      lowPrice: member.lowPrice,
      volume: member.volume,
      quoteVolume: member.quoteVolume,
      updatedAt: member.updatedAt.toISOString(),
      freshness: Object.fromEntries(
        this.config.scanTimeframes.map((interval) => [
          interval,
          this.freshness(
            stored.get(seriesKey(member.symbol, interval)),
            statuses.get(seriesKey(member.symbol, interval)),
            interval,
            newestClose.get(interval) ?? null,
            now,
          ),
        ]),
      ),
      gaps: (gaps.get(member.symbol) ?? []).map(toWireGap),
    }));
  }

  /** The last `limit` closed candles with indicator series computed over up to WARMUP earlier ones. */
  async candles(symbol: string, interval: string, limit: number): Promise<CandlesResponse> {
    const history = await this.store.recent(symbol, interval, limit + WARMUP);
    if (history.length === 0) throw new NotFoundException(`no stored ${interval} candles for ${symbol}`);
    const from = Math.max(0, history.length - limit);
    const series = this.indicators.forCandles(history);
    const indicators = Object.fromEntries(
      INDICATOR_SERIES_KEYS.map((key) => [key, series[key].slice(from)]),
    ) as IndicatorSeries;
    return {
      symbol,
      interval,
      candles: history.slice(from).map((candle) => ({
        openTime: new Date(candle.openTime).toISOString(),
        closeTime: new Date(candle.closeTime).toISOString(),
        open: candle.open,
        high: candle.high,
        low: candle.low,
        close: candle.close,
        volume: candle.volume,
        quoteVolume: candle.quoteVolume,
      })),
      indicators,
    };
  }

  private freshness(
    info: StoredSeriesInfo | undefined,
    status: SeriesStatus | undefined,
    interval: string,
    newestClose: number | null,
    now: number,
  ): SymbolFreshness {
    const behind = info && newestClose !== null ? newestClose - info.lastCloseTime : Infinity;
    return {
      lastClosedOpenTime: info ? new Date(info.lastOpenTime).toISOString() : null,
      lastClosedCloseTime: info ? new Date(info.lastCloseTime).toISOString() : null,
      storedCandles: info?.count ?? 0,
      ageSeconds: info ? Math.max(0, Math.round((now - info.lastCloseTime - 1) / 1000)) : null,
      stale: behind >= 2 * intervalMs(interval) || (status?.error ?? null) !== null,
      lastSyncAt: status ? new Date(status.syncedAt).toISOString() : null,
      lastSyncError: status?.error ?? null,
    };
  }
}
