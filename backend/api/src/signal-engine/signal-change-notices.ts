import { Injectable, Logger } from '@nestjs/common';
import type { SignalEventType } from '@scanner/contracts';

/** What changed in the signals table: event types a commit wrote, or `purged` (retention deleted closes). */
export type SignalChangeKind = SignalEventType | 'purged';

export type SignalChangeListener = (kinds: ReadonlySet<SignalChangeKind>) => void;

/**
 * In-process notice that this process changed the signals table (a committed engine step, a retention
 * purge), told after the commit. Other processes' changes are not seen here: readers that cache what
 * they read also check a change marker in the database (see QualityFiguresCache).
 */
@Injectable()
export class SignalChangeNotices {
  private readonly logger = new Logger(SignalChangeNotices.name);
  private readonly listeners = new Set<SignalChangeListener>();

  /** Calls `listener` after every change of this process; returns the unsubscribe function. */
  subscribe(listener: SignalChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  changed(kinds: Iterable<SignalChangeKind>): void {
    const set = new Set(kinds);
    if (set.size === 0) return;
    for (const listener of this.listeners) {
      try {
        listener(set);
      } catch (error) {
        // A listener's failure must not fail the commit that already happened.
        this.logger.error(`signal change listener failed: ${(error as Error).message}`);
      }
    }
  }
}
