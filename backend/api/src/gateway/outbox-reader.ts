import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Signal, SignalEventType } from '@scanner/contracts';
import { DataSource, EntityManager } from 'typeorm';
import { SignalQueryService } from '../signal-engine/signal-query.service';
import { SyncAnswer } from './feed-session';
import { OutboxEvent } from './outbox-event';

/** A resync is answered with events when at most this many were missed; otherwise with a snapshot. */
export const RESYNC_MAX_EVENTS = 10_000;
/**
 * …and when the client's last event is younger than this. History purges delete old signals with
 * their events, so an old gap may have holes nobody can see; a day is far inside any retention.
 */
export const RESYNC_MAX_AGE_HOURS = 24;

interface EventRow {
  seq: string | number;
  type: SignalEventType;
  payload: Signal;
}

const toEvent = (row: EventRow): OutboxEvent => ({ seq: Number(row.seq), type: row.type, signal: row.payload });

/**
 * Reads of the outbox for the live feed.
 *
 * Ordering: writers take `pg_advisory_xact_lock` before inserting into `signal_events` and hold it to
 * commit, so seqs are handed out and committed in the same order. Hence once seq N is visible every
 * smaller seq is either visible or was rolled back and will never exist: `WHERE seq > last ORDER BY
 * seq` never skips an event, and a hole in the numbers (a rolled-back nextval) needs no waiting.
 * A writer that skipped the lock could commit a smaller seq after a larger one was published.
 */
@Injectable()
export class OutboxReader {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly signals: SignalQueryService,
  ) {}

  async maxSeq(manager: EntityManager = this.db.manager): Promise<number> {
    const rows: Array<{ seq: string | number }> = await manager.query('SELECT COALESCE(MAX(seq), 0) AS seq FROM signal_events');
    return Number(rows[0].seq);
  }

  /** Up to `limit` committed events after `seq`, in seq order. */
  async after(seq: number, limit: number, manager: EntityManager = this.db.manager): Promise<OutboxEvent[]> {
    const rows: EventRow[] = await manager.query(
      'SELECT seq, type, payload FROM signal_events WHERE seq > $1 ORDER BY seq LIMIT $2',
      [seq, limit],
    );
    return rows.map(toEvent);
  }

  async snapshot(): Promise<SyncAnswer> {
    return { kind: 'snapshot', snapshot: await this.signals.activeSnapshot() };
  }

  /**
   * The events after `lastSeq`, or a snapshot when they can't be given exactly: `lastSeq` beyond the
   * log (another database, a reset), its event gone or older than the window, or too many missed.
   */
  async resync(lastSeq: number): Promise<SyncAnswer> {
    const answer = await this.db.transaction('REPEATABLE READ', async (manager): Promise<SyncAnswer | null> => {
      const max = await this.maxSeq(manager);
      if (lastSeq === max) return { kind: 'events', events: [], seq: max };
      if (lastSeq > max) return null;
      const anchor: Array<{ fresh: boolean }> = await manager.query(
        `SELECT recorded_at > now() - make_interval(hours => $2) AS fresh FROM signal_events WHERE seq = $1`,
        [lastSeq, RESYNC_MAX_AGE_HOURS],
      );
      if (anchor.length === 0 || !anchor[0].fresh) return null;
      const events = await this.after(lastSeq, RESYNC_MAX_EVENTS + 1, manager);
      if (events.length > RESYNC_MAX_EVENTS) return null;
      return { kind: 'events', events, seq: max };
    });
    return answer ?? this.snapshot();
  }
}
