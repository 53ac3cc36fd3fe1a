import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy, Optional } from '@nestjs/common';
import { MetricsService } from '../metrics';
import { LiveFeed } from './live-feed';
import { SignalEventListener as OutboxListener } from '../signal-engine';
import { OutboxReader } from './outbox-reader';

/** The fallback poll: bounds the delay when a notification is lost or LISTEN is down. */
export const OUTBOX_POLL_MS = 1_000;
const BATCH = 500;

/**
 * Publishes committed `signal_events` rows, in seq order, to this process's sockets (DESIGN §4).
 *
 * Every api process runs one and reads the table itself, so an event committed by any process reaches
 * the clients of every api process, with no broker between them. It starts at the current max seq
 * (its clients connect later and get a snapshot) and advances only after a batch went out: an error
 * between commit and broadcast is retried from the same place. A process that dies there loses
 * nothing either: its clients reconnect elsewhere and get a snapshot, or `resync` from their last seq.
 * Seq order is commit order (see OutboxReader), so holes in the seqs are skipped without waiting.
 */
@Injectable()
export class OutboxPublisher implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(OutboxPublisher.name);
  private position = 0;
  private draining: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private poll: NodeJS.Timeout | null = null;

  constructor(
    private readonly reader: OutboxReader,
    private readonly feed: LiveFeed,
    private readonly listener: OutboxListener,
    @Optional() private readonly metrics?: MetricsService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.position = await this.reader.maxSeq();
    this.feed.startFrom(this.position);
    await this.listener.start(() => this.wake());
    this.poll = setInterval(() => this.wake(), OUTBOX_POLL_MS);
    this.poll.unref();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.poll) clearInterval(this.poll);
    await this.listener.stop();
    await this.draining;
  }

  /** Reads and publishes whatever is new; coalesces wake-ups that arrive while a drain runs. */
  wake(): void {
    if (this.stopped) return;
    if (this.draining) {
      this.again = true;
      return;
    }
    this.draining = this.drain().finally(() => {
      this.draining = null;
    });
  }

  private async drain(): Promise<void> {
    try {
      do {
        this.again = false;
        const events = await this.reader.after(this.position, BATCH);
        if (events.length === 0 || this.stopped) continue;
        this.feed.publish(events);
        this.metrics?.eventsPublished.inc(events.length);
        this.position = events[events.length - 1].seq;
        if (events.length === BATCH) this.again = true;
      } while (this.again && !this.stopped);
    } catch (error) {
      // The position did not move: the next wake-up (at the latest the poll) retries from here.
      this.logger.error(
        `publishing signal events after seq ${this.position} failed: ${(error as Error).message}`,
      );
    }
  }
}
