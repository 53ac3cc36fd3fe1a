import { HttpErrorResponse, httpResource } from '@angular/common/http';
import { computed, DestroyRef, effect, inject, Injectable, signal, untracked } from '@angular/core';
import type { CandlesResponse, SignalDetail } from '@scanner/contracts';
import { describeHttpError } from '@app/core/http/describe-http-error';
import { SignalsStore } from '@app/core/signals/signals.store';

const CANDLE_LIMIT = 300;
const CANDLE_REFRESH_MS = 30_000;

/** One signal's detail and chart data; follows the live feed while the signal is active. */
@Injectable()
export class SignalDetailStore {
  private readonly live = inject(SignalsStore);
  readonly id = signal<string | null>(null);

  private readonly detailResource = httpResource<SignalDetail>(() => {
    const id = this.id();
    return id ? `/api/signals/${encodeURIComponent(id)}` : undefined;
  });
  private readonly liveSignal = computed(() => {
    const id = this.id();
    return id ? (this.live.active().get(id) ?? this.live.closing().get(id)) : undefined;
  });
  /** The stored detail, with the live feed's newer version of the signal when there is one. */
  readonly detail = computed<SignalDetail | null>(() => {
    if (!this.detailResource.hasValue()) return null;
    const stored = this.detailResource.value();
    const live = this.liveSignal();
    return live && live.version > stored.signal.version ? { ...stored, signal: live } : stored;
  });
  readonly notFound = computed(
    () => (this.detailResource.error() as HttpErrorResponse | undefined)?.status === 404,
  );
  readonly error = computed(() => {
    const error = this.detailResource.error();
    return error && !this.notFound() ? describeHttpError(error, 'this signal') : null;
  });
  readonly loading = this.detailResource.isLoading;

  private readonly candleKey = computed(
    () => {
      const s = this.detail()?.signal;
      return s ? { symbol: s.symbol, interval: s.timeframe } : null;
    },
    { equal: (a, b) => a?.symbol === b?.symbol && a?.interval === b?.interval },
  );
  private readonly candlesResource = httpResource<CandlesResponse>(() => {
    const key = this.candleKey();
    return key ? { url: '/api/market/candles', params: { ...key, limit: CANDLE_LIMIT } } : undefined;
  });
  readonly candles = computed(() => (this.candlesResource.hasValue() ? this.candlesResource.value() : null));
  readonly candlesError = computed(() => {
    const error = this.candlesResource.error();
    return error ? describeHttpError(error, 'the candles') : null;
  });
  readonly active = computed(() => this.detail()?.signal.status === 'ACTIVE');

  constructor() {
    // While active: new candles after every scan and every change of the signal, and every 30 s.
    let previous: string | null = null;
    effect(() => {
      const trigger = `${this.live.scannerStatus()?.lastScanAt}|${this.liveSignal()?.version}`;
      untracked(() => {
        if (previous !== null && previous !== trigger && this.active()) this.candlesResource.reload();
        previous = trigger;
      });
    });
    // A close arrives on the feed: reload the stored detail for the outcome and the full event log.
    effect(() => {
      const live = this.liveSignal();
      if (live && live.status !== 'ACTIVE') untracked(() => this.detailResource.reload());
    });
    const timer = setInterval(() => {
      if (this.active()) this.candlesResource.reload();
    }, CANDLE_REFRESH_MS);
    inject(DestroyRef).onDestroy(() => clearInterval(timer));
  }
}
