import { Logger } from '@nestjs/common';
import { ReachabilitySnapshot, ReachabilityStore } from './reachability-store';

/** While the outcome stays the same, it is written at most this often (a scan makes thousands of requests). */
export const REACHABILITY_WRITE_EVERY_MS = 5_000;

/**
 * Fed by every request outcome of this process; read by readiness and the market API of every process
 * without calling Binance. A change of outcome is written at once, a repeat at most every few seconds,
 * so a busy scan costs the store a handful of writes. Writes are not awaited: a slow or broken store
 * must not slow down or fail requests to the exchange (Redis's own readiness check reports it).
 */
export class ExchangeReachability {
  private readonly logger = new Logger(ExchangeReachability.name);
  /** The last outcome this process wrote, and when. */
  private written: { reachable: boolean; at: number } | null = null;

  constructor(
    private readonly store: ReachabilityStore,
    private readonly writeEveryMs = REACHABILITY_WRITE_EVERY_MS,
  ) {}

  recordSuccess(at: number): void {
    if (this.due(true, at)) this.settle(this.store.recordSuccess(at));
  }

  recordFailure(at: number, error: string): void {
    if (this.due(false, at)) this.settle(this.store.recordFailure(at, error));
  }

  snapshot(): Promise<ReachabilitySnapshot> {
    return this.store.snapshot();
  }

  private due(reachable: boolean, at: number): boolean {
    const last = this.written;
    if (last !== null && last.reachable === reachable && at - last.at < this.writeEveryMs) return false;
    this.written = { reachable, at };
    return true;
  }

  private settle(write: Promise<void>): void {
    write.catch((error: Error) => {
      // Unknown whether it landed: the next outcome is written whatever it is.
      this.written = null;
      this.logger.warn(`recording the exchange's reachability (${this.store.kind}) failed: ${error.message}`);
    });
  }
}
