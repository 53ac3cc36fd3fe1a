import { ReachabilitySnapshot, ReachabilityStore, UNKNOWN_REACHABILITY } from './reachability-store';

/** Reachability of a single process (no Redis): same rules as the Redis store. */
export class MemoryReachabilityStore implements ReachabilityStore {
  readonly kind = 'memory' as const;
  private state: ReachabilitySnapshot = { ...UNKNOWN_REACHABILITY };

  async recordSuccess(at: number): Promise<void> {
    const state = this.state;
    this.state = { ...state, lastSuccessAt: Math.max(state.lastSuccessAt ?? at, at) };
    if (at >= (state.lastFailureAt ?? -Infinity))
      this.state = { ...this.state, reachable: true, failingSince: null };
  }

  async recordFailure(at: number, error: string): Promise<void> {
    const state = this.state;
    const newest = at >= (state.lastFailureAt ?? -Infinity);
    this.state = {
      ...state,
      lastFailureAt: newest ? at : state.lastFailureAt,
      lastError: newest ? error : state.lastError,
    };
    if (at >= (state.lastSuccessAt ?? -Infinity)) {
      this.state = { ...this.state, reachable: false, failingSince: Math.min(state.failingSince ?? at, at) };
    }
  }

  async snapshot(): Promise<ReachabilitySnapshot> {
    return { ...this.state };
  }
}
