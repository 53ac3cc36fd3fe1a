import { setTimeout as delay } from 'node:timers/promises';

/** A sleep that a shutdown can cut short (rejects with an AbortError), so no timer outlives the app. */
export function abortableSleep(signal: AbortSignal): (ms: number) => Promise<void> {
  return (ms) => delay(ms, undefined, { signal });
}
