import { httpResource } from '@angular/common/http';
import { effect, inject, Signal as NgSignal, untracked } from '@angular/core';
import type { Page, Signal } from '@scanner/contracts';
import { SignalsStore } from '@app/core/signals/signals.store';
import { LiveFilters } from './live-filters';

/** For a non-active status filter the live grid lists the latest matching signals from REST. */
export function closedSignalsResource(filters: NgSignal<LiveFilters>) {
  const store = inject(SignalsStore);
  const resource = httpResource<Page<Signal>>(() => {
    const f = filters();
    if (f.status === 'ACTIVE') return undefined;
    const params: Record<string, string | number> = { status: f.status, sort: f.sort, limit: 100 };
    if (f.direction !== 'ALL') params['direction'] = f.direction;
    if (f.timeframe) params['timeframe'] = f.timeframe;
    if (f.minConfidence > 0) params['minConfidence'] = f.minConfidence;
    if (f.symbol) params['symbol'] = f.symbol;
    return { url: '/api/signals', params };
  });
  effect(() => {
    if (store.closedEvents() > 0) untracked(() => resource.reload());
  });
  return resource;
}
