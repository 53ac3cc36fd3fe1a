import { Injectable } from '@nestjs/common';
import { ExchangeReachability } from './exchange-reachability';
import { RequestWeightBudget } from './request-weight-budget';
import { SeriesStatusRegistry } from './series-status-registry';

/** After this long with every request failing, the exchange counts as unreachable for readiness. */
export const UNREACHABLE_AFTER_MS = 5 * 60_000;

export interface ExchangeHealthReport {
  up: boolean;
  details: Record<string, unknown>;
}

/**
 * The `exchange` part of readiness, without calling Binance: down while requests are paused after a
 * 429/418 (with `pausedUntil`) or when every request has failed for 5 minutes; otherwise up, with the
 * last outcome, this minute's weight and the series whose last sync failed (gaps, stale, bad rows).
 */
@Injectable()
export class ExchangeHealth {
  constructor(
    private readonly budget: RequestWeightBudget,
    private readonly reachability: ExchangeReachability,
    private readonly series: SeriesStatusRegistry,
  ) {}

  async report(now: number = Date.now()): Promise<ExchangeHealthReport> {
    const budget = await this.budget.status();
    const reach = this.reachability.snapshot();
    const failing = this.series.failing();
    const unreachable = reach.failingSince !== null && now - reach.failingSince >= UNREACHABLE_AFTER_MS;
    const details: Record<string, unknown> = {
      reachable: reach.reachable,
      lastSuccessAt: iso(reach.lastSuccessAt),
      lastError: reach.lastError,
      pausedUntil: budget.pausedUntil,
      weightUsedThisMinute: budget.usedThisMinute,
      weightLimit: budget.limit,
      rejections: budget.rejections,
      seriesFailing: failing.length,
      ...(failing.length > 0 ? { firstSeriesError: failing[0].error } : {}),
    };
    if (budget.pausedUntil !== null) details.message = `Binance requests paused after a 429/418 until ${budget.pausedUntil}`;
    else if (unreachable) details.message = `every Binance request has failed since ${iso(reach.failingSince)}`;
    return { up: budget.pausedUntil === null && !unreachable, details };
  }
}

function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}
