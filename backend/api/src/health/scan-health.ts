import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { statfs } from 'node:fs/promises';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { cronPeriodMs, ScanFreshness, scanFreshness } from './scan-freshness';

/** Below this much free space the embedded database is about to fail its writes. */
export const MIN_FREE_DISK_BYTES = 200 * 1024 * 1024;

/** Scan freshness (from the scan_runs every process writes) and, for PGlite, free disk space. */
@Injectable()
export class ScanHealth {
  private readonly startedAt = new Date();

  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async scans(now: Date = new Date()): Promise<ScanFreshness> {
    const [row] = await this.dataSource.query(
      `SELECT (SELECT max(finished_at) FROM scan_runs WHERE status IN ('ok', 'partial')) AS last_success,
              (SELECT value FROM app_settings WHERE key = 'scanner-paused') AS paused`,
    );
    const paused = (row?.paused as { paused?: boolean } | null)?.paused === true;
    return scanFreshness({
      lastSuccessAt: row?.last_success ? new Date(row.last_success) : null,
      processStartedAt: this.startedAt,
      now,
      periodMs: cronPeriodMs(this.config.scanCron, now),
      paused,
    });
  }

  /** Free space where PGlite keeps its files; null with Postgres (its disk is the server's concern). */
  async disk(): Promise<{ up: boolean; details: Record<string, unknown> } | null> {
    if (this.config.databaseUrl !== null) return null;
    const stats = await statfs(this.config.dataDir);
    const free = stats.bavail * stats.bsize;
    return { up: free >= MIN_FREE_DISK_BYTES, details: { path: this.config.dataDir, freeMegabytes: Math.floor(free / 1048576), minFreeMegabytes: MIN_FREE_DISK_BYTES / 1048576 } };
  }
}
