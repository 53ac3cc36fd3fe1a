import { Injectable } from '@nestjs/common';
import { FeedClient, FeedSession } from './feed-session';
import { OutboxEvent } from './outbox-event';

/**
 * The sessions of this process and the position of its publisher. Published events go once to the
 * live room (one encoding for every socket in it) and, one by one, to sessions still syncing.
 */
@Injectable()
export class LiveFeed {
  private readonly sessions = new Set<FeedSession>();
  private position: number | null = null;
  private broadcast: ((event: OutboxEvent) => void) | null = null;
  private markStarted!: () => void;
  /** Resolves once the publisher knows where it starts: snapshots taken before could miss events. */
  readonly started = new Promise<void>((resolve) => (this.markStarted = resolve));

  /** Set by the gateway once its namespace exists. */
  bindBroadcast(broadcast: (event: OutboxEvent) => void): void {
    this.broadcast = broadcast;
  }

  open(client: FeedClient): FeedSession {
    const session = new FeedSession(client, () => this.position);
    this.sessions.add(session);
    return session;
  }

  close(session: FeedSession): void {
    session.close();
    this.sessions.delete(session);
  }

  /** The publisher's starting point: events up to `seq` are the past, for snapshots and resyncs. */
  startFrom(seq: number): void {
    this.position = seq;
    for (const session of this.sessions) session.published(seq);
    this.markStarted();
  }

  /** Delivers events already in seq order and past the current position. */
  publish(events: readonly OutboxEvent[]): void {
    if (events.length === 0) return;
    for (const event of events) {
      this.broadcast?.(event);
      for (const session of this.sessions) if (!session.isLive) session.offer(event);
    }
    this.position = events[events.length - 1].seq;
    for (const session of this.sessions) if (!session.isLive) session.published(this.position);
  }
}
