/** The last outcome of talking to the exchange, as recorded by the processes that call it. */
export interface ReachabilitySnapshot {
  /** null until the first recorded request. */
  reachable: boolean | null;
  lastSuccessAt: number | null;
  lastFailureAt: number | null;
  lastError: string | null;
  /** Since when every request has failed (null while reachable). */
  failingSince: number | null;
}

export const UNKNOWN_REACHABILITY: ReachabilitySnapshot = {
  reachable: null,
  lastSuccessAt: null,
  lastFailureAt: null,
  lastError: null,
  failingSince: null,
};

/**
 * Where the exchange's reachability lives: Redis when several processes share a deployment (an `api`
 * process makes no Binance calls but must report them), memory for a single process. Outcomes may
 * arrive out of order (from several processes, writes not awaited): one older than the newest outcome
 * of the other kind does not flip `reachable`.
 */
export interface ReachabilityStore {
  readonly kind: 'redis' | 'memory';
  recordSuccess(at: number): Promise<void>;
  recordFailure(at: number, error: string): Promise<void>;
  snapshot(): Promise<ReachabilitySnapshot>;
}
