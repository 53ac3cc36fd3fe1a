import type { SignalEvent, SignalsSnapshotPayload } from '@scanner/contracts';

export interface SequencerResult {
  /** Events to apply now, in seq order, each exactly once. */
  apply: SignalEvent[];
  /** True when a hole in the sequence was just found: ask the server to resync from `seq`. */
  gap: boolean;
}

/**
 * Orders the live feed: applies each event once, in seq order, after the snapshot it builds on.
 * Events older than what we hold are dropped; events past a hole wait until the hole is filled
 * (by a resync answer or a fresh snapshot).
 */
export class FeedSequencer {
  private current: number | null = null;
  private readonly pending = new Map<number, SignalEvent>();
  private awaitingResync = false;

  /** Last seq reflected in the state, null before the first snapshot. */
  get seq(): number | null {
    return this.current;
  }

  get resyncPending(): boolean {
    return this.awaitingResync;
  }

  snapshot(payload: SignalsSnapshotPayload): SequencerResult {
    this.current = payload.seq;
    this.awaitingResync = false;
    for (const seq of this.pending.keys()) if (seq <= payload.seq) this.pending.delete(seq);
    return { apply: this.drain(), gap: false };
  }

  event(event: SignalEvent): SequencerResult {
    if (this.current === null) {
      // Before the first snapshot nothing can be applied; the snapshot tells what is already in it.
      this.pending.set(event.seq, event);
      return { apply: [], gap: false };
    }
    if (event.seq <= this.current || this.pending.has(event.seq)) return { apply: [], gap: false };
    this.pending.set(event.seq, event);
    const apply = this.drain();
    const gap = this.pending.size > 0 && !this.awaitingResync;
    if (gap) this.awaitingResync = true;
    if (this.pending.size === 0) this.awaitingResync = false;
    return { apply, gap };
  }

  /** Forget that a resync was asked for (e.g. it timed out), so the next hole asks again. */
  resetResync(): void {
    this.awaitingResync = false;
  }

  private drain(): SignalEvent[] {
    const applied: SignalEvent[] = [];
    if (this.current === null) return applied;
    let next = this.pending.get(this.current + 1);
    while (next) {
      this.pending.delete(next.seq);
      applied.push(next);
      this.current = next.seq;
      next = this.pending.get(this.current + 1);
    }
    return applied;
  }
}
