import { Inject, Injectable, Optional } from '@nestjs/common';
import type { ScannerState, ScannerStatusPayload } from '@scanner/contracts';
import { MarketStreamService } from '../market-data';
import {
  type ScanActivity,
  ScannerPauseService,
  ScanRunRecorder,
  SignalQueryService,
} from '../signal-engine';

/**
 * What the exchange side says about a Binance back-off (429/418 + Retry-After). Market data provides
 * it under EXCHANGE_BACKOFF_PROBE when it can tell; without a provider there is no back-off.
 */
export interface ExchangeBackoffProbe {
  /** Until when every process must leave Binance alone, or null. */
  pausedUntil(): Promise<Date | null> | Date | null;
}

export const EXCHANGE_BACKOFF_PROBE = Symbol('EXCHANGE_BACKOFF_PROBE');

/** A run still `running` after this long is a dead one, not a scan in progress. */
const RUNNING_STALE_MS = 10 * 60_000;

/** `scanner.status` from stored data, so every api process tells the same story. */
@Injectable()
export class ScannerStatusService {
  constructor(
    private readonly runs: ScanRunRecorder,
    private readonly signals: SignalQueryService,
    private readonly pause: ScannerPauseService,
    private readonly stream: MarketStreamService,
    @Optional() @Inject(EXCHANGE_BACKOFF_PROBE) private readonly backoff: ExchangeBackoffProbe | null = null,
  ) {}

  async current(now: Date = new Date()): Promise<ScannerStatusPayload> {
    const [activity, activeSignals, pause, marketData] = await Promise.all([
      this.runs.activity(RUNNING_STALE_MS, now),
      this.signals.countActive(),
      this.pause.state(),
      this.stream.marketDataStatus(now.getTime()),
    ]);
    const pausedUntil = (await this.backoff?.pausedUntil()) ?? null;
    const exchangeBackoff = pausedUntil !== null && pausedUntil.getTime() > now.getTime();
    const last = activity.lastSuccess;
    return {
      state: stateOf(pause.paused || exchangeBackoff, activity),
      lastScanAt: last === null ? null : last.finishedAt.toISOString(),
      lastScanDurationMs: last?.durationMs ?? null,
      symbols: last?.symbols ?? 0,
      activeSignals,
      paused: pause.paused,
      exchangeBackoff,
      pauseUntil: exchangeBackoff ? (pausedUntil as Date).toISOString() : null,
      serverTime: now.toISOString(),
      marketData,
    };
  }
}

function stateOf(paused: boolean, activity: ScanActivity): ScannerState {
  if (paused) return 'paused';
  if (activity.scanning) return 'scanning';
  return activity.lastFinishedStatus === 'failed' ? 'error' : 'idle';
}
