import { DestroyRef, inject, Injectable, signal } from '@angular/core';

/** Beyond this gap between market times and the server clock, the feed is a replay (simulator, backtest). */
const REPLAY_GAP_MS = 3_600_000;

/**
 * A shared one-second tick, the server clock (for scan freshness) and the market clock (for signal ages).
 * Signals carry market times taken from candles: live they track the server clock; against a replay they
 * do not, and ages are then measured against the newest market time seen on the feed.
 */
@Injectable({ providedIn: 'root' })
export class ClockService {
  private readonly nowSignal = signal(Date.now());
  private readonly skewSignal = signal(0);
  /** Newest market time seen, with the local time it was seen at. */
  private readonly marketAnchor = signal<{ market: number; local: number } | null>(null);

  /** Local wall clock, refreshed every second. */
  readonly now = this.nowSignal.asReadonly();

  constructor() {
    const timer = setInterval(() => this.nowSignal.set(Date.now()), 1_000);
    inject(DestroyRef).onDestroy(() => clearInterval(timer));
  }

  /** Server time now (ms), following the last server time we were told. */
  serverNow(): number {
    return this.nowSignal() + this.skewSignal();
  }

  /** Market time now (ms): the server clock, unless the feed is a replay far from it. */
  marketNow(): number {
    const server = this.serverNow();
    const anchor = this.marketAnchor();
    if (!anchor) return server;
    const market = anchor.market + Math.max(0, this.nowSignal() - anchor.local);
    return Math.abs(server - market) > REPLAY_GAP_MS ? market : server;
  }

  /** Aligns the server clock with a server time just received. */
  syncServerTime(serverTimeIso: string): void {
    const server = Date.parse(serverTimeIso);
    if (Number.isFinite(server)) this.skewSignal.set(server - Date.now());
  }

  /** Records a market time seen on the feed (a signal's updatedAt / closedAt). */
  observeMarketTime(iso: string | null | undefined): void {
    const market = iso ? Date.parse(iso) : NaN;
    if (!Number.isFinite(market)) return;
    const anchor = this.marketAnchor();
    const now = Date.now();
    if (!anchor || market > anchor.market + Math.max(0, now - anchor.local))
      this.marketAnchor.set({ market, local: now });
  }
}
