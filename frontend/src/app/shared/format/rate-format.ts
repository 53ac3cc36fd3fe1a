import type { RateDto, Signal } from '@scanner/contracts';
import { formatRatio } from './percent-format';

/** Samples below which a figure is an anecdote (the backend's `lowSample` uses the same bound). */
export const LOW_SAMPLE = 30;

/** "48.0%" — the rate alone; a dash when nothing was counted. */
export function formatRateValue(rate: RateDto | null | undefined, decimals = 1): string {
  return formatRatio(rate?.value ?? null, decimals);
}

/** "95% CI 38.0–58.4%" (Wilson); empty when nothing was counted. */
export function formatInterval(rate: RateDto | null | undefined): string {
  if (!rate || rate.low === null || rate.high === null) return '';
  return `95% CI ${(rate.low * 100).toFixed(1)}–${(rate.high * 100).toFixed(1)}%`;
}

/** "21 of 44 · 95% CI 33.4–62.6%": what a reader needs to judge a rate. */
export function formatRateDetail(rate: RateDto | null | undefined): string {
  if (!rate || rate.n === 0) return 'n = 0';
  return `${rate.successes} of ${rate.n} · ${formatInterval(rate)}`;
}

/** The card/detail text of `pTarget`: "48%", or "—" while there is no fit. */
export function pTargetText(signal: Pick<Signal, 'pTarget'>): string {
  return signal.pTarget === null ? '—' : `${Math.round(signal.pTarget * 100)}%`;
}

/**
 * What `pTarget` rests on, for its tooltip: "48% chance of reaching the target before the stop, from
 * 1,234 closed signals on 5m", or why there is none yet.
 */
export function pTargetTitle(
  signal: Pick<Signal, 'pTarget' | 'pTargetSamples' | 'pTargetNote' | 'timeframe'>,
): string {
  if (signal.pTarget === null)
    return `No probability yet: ${signal.pTargetNote ?? 'not enough closed signals to fit one'}`;
  return `${pTargetText(signal)} chance of reaching the target before the stop, from ${signal.pTargetSamples.toLocaleString('en-US')} closed signals on ${signal.timeframe}`;
}
