import { Inject, Injectable, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { ScannerState, ScannerStatusPayload } from '@scanner/contracts';
import { DataSource } from 'typeorm';

/**
 * What the exchange side says about a Binance back-off (429/418 + Retry-After). Market data provides
 * it under EXCHANGE_BACKOFF_PROBE when it can tell; without a provider there is no back-off.
 */
export interface ExchangeBackoffProbe {
  /** Until when every process must leave Binance alone, or null. */
  pausedUntil(): Promise<Date | null> | Date | null;
}

export const EXCHANGE_BACKOFF_PROBE = Symbol('EXCHANGE_BACKOFF_PROBE');

/** The app_settings key the admin pause/resume endpoints write. */
export const SCANNER_PAUSED_SETTING = 'scanner-paused';

/** A run still `running` after this long is a dead one, not a scan in progress. */
const RUNNING_STALE_MINUTES = 10;

interface StatusRow {
  last_ok_at: Date | string | null;
  last_ok_duration_ms: number | null;
  last_ok_symbols: number | null;
  last_status: string | null;
  scanning: boolean;
  active: string | number;
  paused: unknown;
}

/** Accepts the shapes a flag may be stored in: true, "true", { paused: true }, { value: true }. */
export function isPausedSetting(value: unknown): boolean {
  if (value === true || value === 'true') return true;
  if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    return record.paused === true || record.value === true;
  }
  return false;
}

/** `scanner.status` from stored data, so every api process tells the same story. */
@Injectable()
export class ScannerStatusService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Optional() @Inject(EXCHANGE_BACKOFF_PROBE) private readonly backoff: ExchangeBackoffProbe | null = null,
  ) {}

  async current(now: Date = new Date()): Promise<ScannerStatusPayload> {
    const [row]: StatusRow[] = await this.db.query(
      `SELECT last_ok.finished_at AS last_ok_at, last_ok.duration_ms AS last_ok_duration_ms, last_ok.symbols AS last_ok_symbols,
         (SELECT status FROM scan_runs WHERE finished_at IS NOT NULL AND status <> 'skipped'
            ORDER BY finished_at DESC, id DESC LIMIT 1) AS last_status,
         EXISTS (SELECT 1 FROM scan_runs WHERE status = 'running'
            AND started_at > now() - make_interval(mins => $1)) AS scanning,
         (SELECT count(*) FROM signals WHERE status = 'ACTIVE') AS active,
         (SELECT value FROM app_settings WHERE key = $2) AS paused
       FROM (SELECT 1) AS one
       LEFT JOIN LATERAL (SELECT finished_at, duration_ms, symbols FROM scan_runs
            WHERE finished_at IS NOT NULL AND status IN ('ok', 'partial')
            ORDER BY finished_at DESC, id DESC LIMIT 1) AS last_ok ON true`,
      [RUNNING_STALE_MINUTES, SCANNER_PAUSED_SETTING],
    );
    const pausedUntil = (await this.backoff?.pausedUntil()) ?? null;
    const exchangeBackoff = pausedUntil !== null && pausedUntil.getTime() > now.getTime();
    const paused = isPausedSetting(row.paused);
    return {
      state: stateOf(paused || exchangeBackoff, row),
      lastScanAt: row.last_ok_at === null ? null : new Date(row.last_ok_at).toISOString(),
      lastScanDurationMs: row.last_ok_duration_ms,
      symbols: row.last_ok_symbols ?? 0,
      activeSignals: Number(row.active),
      paused,
      exchangeBackoff,
      pauseUntil: exchangeBackoff ? (pausedUntil as Date).toISOString() : null,
      serverTime: now.toISOString(),
    };
  }
}

function stateOf(paused: boolean, row: StatusRow): ScannerState {
  if (paused) return 'paused';
  if (row.scanning) return 'scanning';
  return row.last_status === 'failed' ? 'error' : 'idle';
}
