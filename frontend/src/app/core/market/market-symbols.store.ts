import { HttpClient } from '@angular/common/http';
import { computed, DestroyRef, inject, Injectable, signal } from '@angular/core';
import type { MarketSymbol } from '@scanner/contracts';
import { firstValueFrom } from 'rxjs';
import { describeHttpError } from '@app/core/http/describe-http-error';
import { decimalsFor } from '@app/shared/format/price-format';

const REFRESH_MS = 30_000;

/** The per-timeframe freshness, or none when the server sends another shape than the contract's record. */
export function freshnessOf(symbol: MarketSymbol): MarketSymbol['freshness'] {
  const f = symbol.freshness as unknown;
  return typeof f === 'object' && f !== null && !Array.isArray(f) ? (f as MarketSymbol['freshness']) : {};
}

export interface LivePrice {
  price: number;
  /** Local time the price was fetched. */
  fetchedAt: number;
}

/**
 * The scanner's universe from `GET /api/market/symbols`, refreshed every 30 s: price precision (tickSize),
 * the last traded price (the 24h ticker's last price = the open candle's close) and data freshness.
 */
@Injectable({ providedIn: 'root' })
export class MarketSymbolsStore {
  private readonly http = inject(HttpClient);
  private readonly symbolsSignal = signal<readonly MarketSymbol[]>([]);
  private readonly errorSignal = signal<string | null>(null);
  private readonly loadedAt = signal<number | null>(null);
  private timer: ReturnType<typeof setInterval> | null = null;

  readonly symbols = this.symbolsSignal.asReadonly();
  readonly error = this.errorSignal.asReadonly();
  readonly fetchedAt = this.loadedAt.asReadonly();
  readonly loaded = computed(() => this.loadedAt() !== null);
  private readonly bySymbol = computed(() => new Map(this.symbolsSignal().map((s) => [s.symbol, s])));
  /** Timeframes with freshness data (a server not yet on the contract's keyed shape contributes none). */
  readonly timeframes = computed(() => [
    ...new Set(this.symbolsSignal().flatMap((s) => Object.keys(freshnessOf(s)))),
  ]);

  constructor() {
    inject(DestroyRef).onDestroy(() => this.stop());
  }

  /** Starts loading (idempotent): the first call fetches, later ones reuse the refresh loop. */
  ensureLoaded(): void {
    if (this.timer) return;
    void this.refresh();
    this.timer = setInterval(() => void this.refresh(), REFRESH_MS);
  }

  async refresh(): Promise<void> {
    try {
      const symbols = await firstValueFrom(this.http.get<MarketSymbol[]>('/api/market/symbols'));
      this.symbolsSignal.set(symbols);
      this.loadedAt.set(Date.now());
      this.errorSignal.set(null);
    } catch (error) {
      this.errorSignal.set(describeHttpError(error, 'the market symbols'));
    }
  }

  symbol(symbol: string): MarketSymbol | undefined {
    return this.bySymbol().get(symbol);
  }

  /** Decimals to show for a symbol's prices: from its tickSize, else from the price's magnitude. */
  decimals(symbol: string, samplePrice: number): number {
    return decimalsFor(this.bySymbol().get(symbol)?.tickSize ?? null, samplePrice);
  }

  livePrice(symbol: string): LivePrice | null {
    const price = this.bySymbol().get(symbol)?.lastPrice;
    const fetchedAt = this.loadedAt();
    return price == null || fetchedAt === null ? null : { price, fetchedAt };
  }

  private stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
