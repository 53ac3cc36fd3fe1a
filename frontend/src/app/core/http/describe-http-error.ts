import { HttpErrorResponse } from '@angular/common/http';

/** A sentence saying what failed and what it means, for error states. */
export function describeHttpError(error: unknown, what: string): string {
  if (error instanceof HttpErrorResponse) {
    if (error.status === 0) return `Could not reach the server to load ${what} (network error). Retrying…`;
    if (error.status === 404) return `The server does not serve ${what} (404): is the API up to date?`;
    const body = error.error as { message?: string | string[] } | null;
    const message = Array.isArray(body?.message) ? body.message.join('; ') : body?.message;
    return `Loading ${what} failed: HTTP ${error.status}${message ? ` — ${message}` : ''}.`;
  }
  return `Loading ${what} failed: ${error instanceof Error ? error.message : String(error)}.`;
}
