import { httpResource } from '@angular/common/http';
import { effect, inject, untracked } from '@angular/core';
import type { SignalStats } from '@scanner/contracts';
import { SignalsStore } from '@app/core/signals/signals.store';
import { ClockService } from '@app/core/time/clock.service';

const DAY_MS = 86_400_000;

/**
 * Stats of live signals (not warm-up replays) over the last 24 h of market time, reloaded whenever a
 * signal closes. Call in an injection context.
 */
export function winRate24hResource() {
  const clock = inject(ClockService);
  const store = inject(SignalsStore);
  const resource = httpResource<SignalStats>(() => {
    // Rounded to the minute so the one-second clock does not refetch every second.
    const since = Math.floor((clock.marketNow() - DAY_MS) / 60_000) * 60_000;
    return { url: '/api/signals/stats', params: { since: new Date(since).toISOString(), origin: 'live' } };
  });
  effect(() => {
    if (store.closedEvents() > 0) untracked(() => resource.reload());
  });
  return resource;
}
