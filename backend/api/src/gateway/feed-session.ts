import type { SignalsSnapshotPayload } from '@scanner/contracts';
import { OutboxEvent } from './outbox-event';

/** What a session needs from its socket (a fake in unit tests). */
export interface FeedClient {
  sendEvent(event: OutboxEvent): void;
  sendSnapshot(snapshot: SignalsSnapshotPayload): void;
  /** Join / leave the room that receives the shared broadcast of published events. */
  joinLive(): void;
  leaveLive(): void;
}

/** The answer to a snapshot or resync request; `seq` is the last event seq the answer covers. */
export type SyncAnswer =
  | { kind: 'snapshot'; snapshot: SignalsSnapshotPayload }
  | { kind: 'events'; events: OutboxEvent[]; seq: number };

type State = 'syncing' | 'catching-up' | 'live' | 'closed';

/**
 * The feed of one socket: exactly-once, in-order delivery across snapshots, resyncs and the live stream.
 *
 * - syncing: a snapshot/resync query is in flight; published events are buffered.
 * - catching-up: the answer went out with cursor C; events the publisher has not reached yet are
 *   offered one by one (those ≤ C are dropped, the client has them) until the publisher's position
 *   reaches C: from then on every published event is > C, and the socket joins the live room.
 * - live: in the room, receiving the shared broadcast (encoded once for all sockets).
 *
 * The steps between an answer and joining the room run synchronously, so no publish interleaves.
 */
export class FeedSession {
  private state: State = 'syncing';
  private cursor = 0;
  private buffer: OutboxEvent[] = [];
  private running = false;
  private next: (() => Promise<SyncAnswer>) | null = null;

  constructor(
    private readonly client: FeedClient,
    /** The last seq the process's publisher broadcast; null before it started. */
    private readonly publishedSeq: () => number | null,
  ) {}

  get isLive(): boolean {
    return this.state === 'live';
  }

  /**
   * Runs `load` and sends its answer. The latest request wins: one arriving while a query runs replaces
   * any not started yet and the running one's answer, so a client spamming `resync` costs at most one
   * query in flight and one waiting, and gets one answer.
   */
  async sync(load: () => Promise<SyncAnswer>): Promise<void> {
    this.next = load;
    if (this.running) return;
    this.running = true;
    try {
      while (this.next !== null && this.state !== 'closed') {
        const current = this.next;
        this.next = null;
        await this.runSync(current);
      }
    } finally {
      this.running = false;
    }
  }

  /** A published event, for a session not (yet) in the live room. */
  offer(event: OutboxEvent): void {
    if (this.state === 'syncing') this.buffer.push(event);
    else if (this.state === 'catching-up') this.deliver(event);
  }

  /** The publisher reached `seq`: a catching-up session at or below it can take the shared stream. */
  published(seq: number): void {
    if (this.state === 'catching-up' && this.cursor <= seq) {
      this.state = 'live';
      this.client.joinLive();
    }
  }

  close(): void {
    this.state = 'closed';
    this.buffer = [];
    this.next = null;
  }

  private async runSync(load: () => Promise<SyncAnswer>): Promise<void> {
    if (this.state !== 'syncing') {
      if (this.state === 'live') this.client.leaveLive();
      this.state = 'syncing';
      this.buffer = [];
    }
    const answer = await load();
    // Closed while the query ran (TS keeps the narrowing from before the await).
    if ((this.state as State) === 'closed') return;
    // A newer request came in meanwhile: it replaces this answer (a `resync` sent on connect replaces
    // the connect snapshot), and the buffer keeps every event published since the first query began.
    if (this.next !== null) return;
    if (answer.kind === 'snapshot') {
      this.client.sendSnapshot(answer.snapshot);
      this.cursor = answer.snapshot.seq;
    } else {
      // Resync answers are sent as asked, even below the cursor: the client said it lacks them.
      for (const event of answer.events) this.client.sendEvent(event);
      this.cursor = Math.max(answer.seq, answer.events.at(-1)?.seq ?? 0);
    }
    const buffered = this.buffer;
    this.buffer = [];
    this.state = 'catching-up';
    for (const event of buffered) this.deliver(event);
    const position = this.publishedSeq();
    if (position !== null) this.published(position);
  }

  private deliver(event: OutboxEvent): void {
    if (event.seq <= this.cursor) return;
    this.client.sendEvent(event);
    this.cursor = event.seq;
  }
}
