/** The outcome of trying to charge a request's weight to the current minute. */
export interface ChargeResult {
  charged: boolean;
  /** Weight used in the minute after the charge (or as found, when refused). */
  used: number;
  /** Set when requests are paused after a 429/418: epoch ms until which nothing may be sent. */
  pausedUntil: number | null;
}

export type RejectionStatus = 429 | 418;

/**
 * Where the request-weight budget lives: Redis for a deployment of several processes (one budget per
 * IP), memory for a single process. Every operation is atomic within the store.
 */
export interface WeightBudgetStore {
  readonly kind: 'redis' | 'memory';
  /** Adds `weight` to `minute` unless that would pass `limit` or requests are paused at `now`. */
  charge(minute: number, weight: number, limit: number, now: number): Promise<ChargeResult>;
  /** Raises the minute's usage to `used` when the exchange reports more than we counted. */
  raiseUsed(minute: number, used: number): Promise<number>;
  used(minute: number): Promise<number>;
  /** Pauses every request until `until` (keeps a later pause already set) and counts the rejection. */
  pause(until: number, status: RejectionStatus, now: number): Promise<number>;
  pausedUntil(now: number): Promise<number | null>;
  rejections(): Promise<Record<RejectionStatus, number>>;
}

/** Minutes are kept a little longer than they last, so a late header sync still finds its minute. */
export const MINUTE_KEY_TTL_MS = 120_000;
