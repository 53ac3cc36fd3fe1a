import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../config';
import { ExchangeClock } from './exchange-clock';
import { ExchangeHaltMonitor } from './exchange-halt';
import { ExchangeReachability } from './exchange-reachability';
import { RequestWeightBudget } from './request-weight-budget';
import { SeriesStatusRegistry } from './series-status-registry';

/** Readiness shows the host/exchange clock offset when it is larger than this. */
export const CLOCK_OFFSET_SHOWN_MS = 1_000;

export interface ExchangeHealthReport {
  up: boolean;
  details: Record<string, unknown>;
}

/**
 * The `exchange` part of readiness, without calling Binance and from state every process shares (the
 * budget and reachability in Redis or memory, series statuses in the database): down while requests
 * are paused after a 429/418 (with `pausedUntil`) or when every request has failed for
 * BINANCE_UNREACHABLE_AFTER_MS; otherwise up, with the last outcome, this minute's weight and the
 * series whose last sync failed (stale, bad rows). A whole-exchange halt is named (`halt`, with since
 * when) but is not our failure: the exchange answers, the market does not trade. The clock offset
 * appears (`clock`) when it is over 1 s.
 */
@Injectable()
export class ExchangeHealth {
  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    private readonly budget: RequestWeightBudget,
    private readonly reachability: ExchangeReachability,
    private readonly series: SeriesStatusRegistry,
    private readonly clock: ExchangeClock,
    private readonly halts: ExchangeHaltMonitor,
  ) {}

  async report(now: number = Date.now()): Promise<ExchangeHealthReport> {
    const [budget, reach, failing, offset, halt] = await Promise.all([
      this.budget.status(),
      this.reachability.snapshot(),
      this.series.failing(this.config.scanTimeframes),
      this.clock.shared(),
      this.halts.current(),
    ]);
    const unreachable =
      reach.failingSince !== null && now - reach.failingSince >= this.config.binanceUnreachableAfterMs;
    const details: Record<string, unknown> = {
      reachable: reach.reachable,
      lastSuccessAt: iso(reach.lastSuccessAt),
      lastError: reach.lastError,
      pausedUntil: budget.pausedUntil,
      weightUsedThisMinute: budget.usedThisMinute,
      weightLimit: budget.limit,
      rejections: budget.rejections,
      seriesFailing: failing.count,
      ...(failing.latest !== null ? { firstSeriesError: failing.latest.error } : {}),
    };
    if (offset !== null && Math.abs(offset.offsetMs) > CLOCK_OFFSET_SHOWN_MS) {
      details.clock = {
        offsetMs: offset.offsetMs,
        measuredAt: iso(offset.measuredAt),
        roundTripMs: offset.roundTripMs,
      };
    }
    if (halt !== null) {
      const since = iso(halt.since);
      details.halt = {
        since,
        detectedAt: iso(halt.detectedAt),
        statuses: halt.statuses,
        message: `exchange halted since ${since}: no scanned series has a new candle and exchangeInfo lists no symbol as TRADING (${halt.statuses.join(', ')})`,
      };
    }
    if (budget.pausedUntil !== null)
      details.message = `Binance requests paused after a 429/418 until ${budget.pausedUntil}`;
    else if (unreachable)
      details.message = `every Binance request has failed since ${iso(reach.failingSince)}`;
    else if (halt !== null) details.message = (details.halt as { message: string }).message;
    return { up: budget.pausedUntil === null && !unreachable, details };
  }
}

function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}
