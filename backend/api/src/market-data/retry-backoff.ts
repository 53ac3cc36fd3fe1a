export interface RetryBackoffOptions {
  /** Attempts in all, the first included. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY_BACKOFF: RetryBackoffOptions = {
  attempts: 4,
  baseDelayMs: 250,
  maxDelayMs: 4_000,
};

/**
 * Delay before retry number `retry` (1 = first retry): exponential with "full jitter" — uniform in
 * [d/2, d] with d = base × 2^(retry−1), capped — so clients that failed together do not retry together.
 */
export function retryDelayMs(
  retry: number,
  options: RetryBackoffOptions,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (retry - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
