import { inject } from '@angular/core';
import { NavigationError, Router } from '@angular/router';

/** The browser could not fetch a lazy page's code (the network dropped while it was loading). */
export function isChunkLoadError(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  return /Failed to fetch dynamically imported module|error loading dynamically imported module|Importing a module script failed|Loading chunk [\w-]+ failed/i.test(
    message,
  );
}

/** Router retries before the document is reloaded (a browser may keep a failed module import). */
export const CHUNK_RETRIES = 4;
const MAX_DELAY_MS = 15_000;

export interface ChunkRetryDeps {
  schedule: (run: () => void, delayMs: number) => void;
  reload: (url: string) => void;
}

const browserDeps: ChunkRetryDeps = {
  schedule: (run, delayMs) => void setTimeout(run, delayMs),
  reload: (url) => window.location.assign(url),
};

/**
 * A navigation error handler (withNavigationErrorHandler) that never leaves a page blank because its
 * code could not be fetched: the same URL is navigated to again with backoff (1, 2, 4, 8 s), then the
 * document is reloaded. Other navigation errors are left to the router.
 */
export function chunkRetryHandler(deps: ChunkRetryDeps = browserDeps): (error: NavigationError) => void {
  const attempts = new Map<string, number>();
  return (navigationError) => {
    if (!isChunkLoadError(navigationError.error)) return;
    const router = inject(Router);
    const url = navigationError.url;
    const attempt = (attempts.get(url) ?? 0) + 1;
    attempts.set(url, attempt);
    const delay = Math.min(MAX_DELAY_MS, 1_000 * 2 ** (attempt - 1));
    deps.schedule(() => {
      if (attempt > CHUNK_RETRIES) {
        attempts.delete(url);
        deps.reload(url);
        return;
      }
      void router.navigateByUrl(url).then((navigated) => {
        if (navigated) attempts.delete(url);
      });
    }, delay);
  };
}
