import { Inject, Injectable } from '@nestjs/common';
import { statfs } from 'node:fs/promises';
import { AppConfig } from '../config';
import { MarketStreamService } from '../market-data';
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
  ) {}

  /**
   * While the streams are up (held, reported in the last 30 s) closed candles arrive without scans:
   * that is fresh. Otherwise the REST scans are (polling mode, or the fallback while streams are down),
   * and the details say which.
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
    const freshness = scanFreshness({
      lastSuccessAt,
      processStartedAt: this.startedAt,
      now,
      periodMs: cronPeriodMs(this.config.scanCron, now),
      paused,
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
