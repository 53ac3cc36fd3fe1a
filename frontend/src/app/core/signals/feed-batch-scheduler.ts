import { InjectionToken } from '@angular/core';

/**
 * Schedules the application of queued feed messages. Batching per animation frame means 50 events/s
 * cost at most one state change (and one render) per frame. Specs provide a synchronous scheduler.
 */
export const FEED_BATCH_SCHEDULER = new InjectionToken<(flush: () => void) => void>('FEED_BATCH_SCHEDULER', {
  providedIn: 'root',
  factory: () => (flush) => {
    if (typeof requestAnimationFrame === 'function' && typeof document !== 'undefined' && !document.hidden) {
      requestAnimationFrame(() => flush());
    } else {
      setTimeout(flush, 100);
    }
  },
});
