/**
 * Binance: 300 connection attempts per 5 minutes per IP. Counted over a sliding window, refused
 * attempts included (the strictest reading: a client that keeps knocking stays locked out).
 */
export class ConnectionAttemptLimiter {
  private readonly attempts = new Map<string, number[]>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number,
  ) {}

  /** Records an attempt; returns the seconds to wait when it is over the limit, else undefined. */
  admit(client: string): number | undefined {
    const now = this.now();
    const list = (this.attempts.get(client) ?? []).filter((t) => t > now - this.windowMs);
    list.push(now);
    this.attempts.set(client, list);
    if (list.length <= this.limit) return undefined;
    const oldestCounted = list[list.length - this.limit]!;
    return Math.max(1, Math.ceil((oldestCounted + this.windowMs - now) / 1000));
  }

  reset(): void {
    this.attempts.clear();
  }
}
