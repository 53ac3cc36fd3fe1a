/**
 * At most `limit` events in any window of `windowMs`: how long to wait before the next one may go.
 * Used for Binance's WebSocket rules: 5 incoming messages per second per connection (we send at most
 * 4 control messages, so the automatic pong always has room) and 300 connection attempts per 5 minutes
 * per IP.
 */
export class SlidingWindowLimiter {
  private readonly times: number[] = [];

  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {
    if (!Number.isInteger(limit) || limit < 1)
      throw new Error(`limit must be a whole number ≥ 1, got ${limit}`);
    if (!(windowMs > 0)) throw new Error(`windowMs must be positive, got ${windowMs}`);
  }

  /** Milliseconds to wait at `now` before one more event fits (0 = now). */
  delayAt(now: number): number {
    this.forget(now);
    if (this.times.length < this.limit) return 0;
    return this.times[0] + this.windowMs - now;
  }

  /** Counts one event at `now` (call only when `delayAt(now)` was 0). */
  record(now: number): void {
    this.forget(now);
    this.times.push(now);
  }

  /** Events counted in the window ending at `now`. */
  countAt(now: number): number {
    this.forget(now);
    return this.times.length;
  }

  private forget(now: number): void {
    while (this.times.length > 0 && this.times[0] <= now - this.windowMs) this.times.shift();
  }
}
