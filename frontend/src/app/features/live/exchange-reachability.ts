import { HttpClient, HttpErrorResponse } from '@angular/common/http';
import { DestroyRef, inject, signal, type Signal } from '@angular/core';
import type { HealthReport } from '@scanner/contracts';

/** How often the live page asks readiness whether the exchange answers (it reads stored outcomes, no Binance call). */
export const REACHABILITY_POLL_MS = 20_000;
/** A failure with a success this recent is a blip the next request settles, not an outage to announce. */
export const BLIP_MS = 60_000;

export interface ExchangeProblem {
  /** The last error the backend recorded, e.g. "klines BTCUSDT 5m: getaddrinfo ENOTFOUND api.binance.com". */
  lastError: string | null;
  /** ISO time of the last request that succeeded; null when none has since start. */
  lastSuccessAt: string | null;
}

/**
 * Reads readiness' `exchange` detail (`reachable`, `lastError`, `lastSuccessAt`): the exchange is a
 * problem worth a banner when its last request failed and none has succeeded for a minute (or ever).
 */
export function exchangeProblem(report: HealthReport | null, serverNowMs: number): ExchangeProblem | null {
  const exchange = report?.details['exchange'];
  if (!exchange || exchange['reachable'] !== false) return null;
  const lastSuccessAt = typeof exchange['lastSuccessAt'] === 'string' ? exchange['lastSuccessAt'] : null;
  const lastSuccess = lastSuccessAt === null ? NaN : Date.parse(lastSuccessAt);
  if (exchange.status === 'up' && Number.isFinite(lastSuccess) && serverNowMs - lastSuccess < BLIP_MS)
    return null;
  const lastError = typeof exchange['lastError'] === 'string' ? exchange['lastError'] : null;
  return { lastError, lastSuccessAt };
}

/**
 * Polls `GET /api/health/ready` (which answers 503 with the same body when something is down) and keeps
 * the last report; an unreadable answer leaves it null (the connection badge tells about the server).
 * Call in an injection context.
 */
export function readinessPoll(everyMs = REACHABILITY_POLL_MS): Signal<HealthReport | null> {
  const http = inject(HttpClient);
  const report = signal<HealthReport | null>(null);
  const load = () =>
    http.get<HealthReport>('/api/health/ready').subscribe({
      next: (body) => report.set(body),
      error: (error: unknown) =>
        report.set(
          error instanceof HttpErrorResponse && error.status === 503 && isReport(error.error)
            ? error.error
            : null,
        ),
    });
  load();
  const timer = setInterval(load, everyMs);
  inject(DestroyRef).onDestroy(() => clearInterval(timer));
  return report.asReadonly();
}

function isReport(body: unknown): body is HealthReport {
  return typeof body === 'object' && body !== null && typeof (body as HealthReport).details === 'object';
}
