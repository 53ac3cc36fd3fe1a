import { Inject, Injectable } from '@nestjs/common';
import { statfs } from 'node:fs/promises';
import { AppConfig } from '../config';
import {
  CandleStore,
  ExchangeClock,
  ExchangeHaltMonitor,
  intervalMs,
  MarketStreamService,
  UniverseService,
} from '../market-data';
import { ScannerPauseService, ScanRunRecorder } from '../signal-engine';
import { cronPeriodMs, ScanFreshness, scanFreshness } from './scan-freshness';

/** Below this much free space the embedded database is about to fail its writes. */
export const MIN_FREE_DISK_BYTES = 200 * 1024 * 1024;

/** Scan freshness (from the scan runs every process records) and, for PGlite, free disk space. */
@Injectable()
export class ScanHealth {
  private readonly startedAt = new Date();

  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    private readonly runs: ScanRunRecorder,
    private readonly pause: ScannerPauseService,
    private readonly stream: MarketStreamService,
    private readonly universe: UniverseService,
    private readonly candles: CandleStore,
    private readonly clock: ExchangeClock,
    private readonly halts: ExchangeHaltMonitor,
  ) {}

  /**
   * While the streams are up (held, reported in the last 30 s) closed candles arrive without scans:
   * that is fresh. Otherwise the REST scans are (polling mode, or the fallback while streams are down),
   * judged on market time: the newest closed candle they stored against the exchange's clock (the
   * host's plus the offset measured from serverTime), and the details say which.
   */
  async scans(now: Date = new Date()): Promise<ScanFreshness> {
    const [lastSuccessAt, paused, marketData] = await Promise.all([
      this.runs.lastSuccessAt(),
      this.pause.isPaused(),
      this.stream.marketDataStatus(now.getTime()),
    ]);
    if (marketData.state === 'streaming' || marketData.state === 'degraded') {
      return {
        up: true,
        details: {
          source: 'stream',
          state: marketData.state,
          lastEvaluatedAt: marketData.lastEvaluatedAt,
          detail: marketData.detail,
        },
      };
    }
    const [newestCandleClose, offset, halt] = await Promise.all([
      this.newestCandleClose(),
      this.clock.shared(),
      this.halts.current(),
    ]);
    const freshness = scanFreshness({
      lastSuccessAt,
      processStartedAt: this.startedAt,
      now,
      marketNow: now.getTime() + (offset?.offsetMs ?? 0),
      newestCandleClose,
      intervalMs: Math.min(...this.config.scanTimeframes.map((tf) => intervalMs(tf))),
      periodMs: cronPeriodMs(this.config.scanCron, now),
      paused,
      haltSince: halt?.since ?? null,
    });
    return {
      up: freshness.up,
      details: {
        source: marketData.source,
        state: 'polling',
        detail: marketData.detail,
        ...freshness.details,
      },
    };
  }

  /** Close (market time) of the newest stored closed candle of the universe's scanned series, null when none. */
  private async newestCandleClose(): Promise<number | null> {
    const symbols = await this.universe.symbols();
    const lastOpens = await this.candles.lastOpenTimes(symbols, this.config.scanTimeframes);
    let newest: number | null = null;
    for (const [key, openTime] of lastOpens) {
      const close = openTime + intervalMs(key.slice(key.indexOf('|') + 1));
      if (newest === null || close > newest) newest = close;
    }
    return newest;
  }

  /** Free space where PGlite keeps its files; null with Postgres (its disk is the server's concern). */
  async disk(): Promise<{ up: boolean; details: Record<string, unknown> } | null> {
    if (this.config.databaseUrl !== null) return null;
    const stats = await statfs(this.config.dataDir);
    const free = stats.bavail * stats.bsize;
    return {
      up: free >= MIN_FREE_DISK_BYTES,
      details: {
        path: this.config.dataDir,
        freeMegabytes: Math.floor(free / 1048576),
        minFreeMegabytes: MIN_FREE_DISK_BYTES / 1048576,
      },
    };
  }
}
