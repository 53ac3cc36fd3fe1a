/** The last outcome of talking to the exchange, as seen by this process (cheap to read for health). */
export interface ReachabilitySnapshot {
  /** null until the first request of this process. */
  reachable: boolean | null;
  lastSuccessAt: number | null;
  lastFailureAt: number | null;
  lastError: string | null;
  /** Since when every request has failed (null while reachable). */
  failingSince: number | null;
}

/** Fed by every request outcome; read by the readiness check without calling Binance. */
export class ExchangeReachability {
  private state: ReachabilitySnapshot = { reachable: null, lastSuccessAt: null, lastFailureAt: null, lastError: null, failingSince: null };

  recordSuccess(at: number): void {
    this.state = { ...this.state, reachable: true, lastSuccessAt: at, failingSince: null };
  }

  recordFailure(at: number, error: string): void {
    this.state = {
      ...this.state,
      reachable: false,
      lastFailureAt: at,
      lastError: error,
      failingSince: this.state.failingSince ?? at,
    };
  }

  snapshot(): ReachabilitySnapshot {
    return { ...this.state };
  }
}
