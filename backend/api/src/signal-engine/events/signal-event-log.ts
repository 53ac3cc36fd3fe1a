import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Signal, SignalEvent, SignalEventType } from '@scanner/contracts';
import { DataSource, EntityManager } from 'typeorm';

/** A `signal_events` row: the event and when it was committed. */
export interface RecordedSignalEvent extends SignalEvent {
  recordedAt: Date;
  /** Market time of the engine step that wrote it (null for rows written before it was recorded). */
  marketTime: number | null;
}

/** How far back a resync may be answered with events instead of a snapshot. */
export interface ResyncWindow {
  maxEvents: number;
  maxAgeHours: number;
}

interface EventRow {
  seq: string | number;
  type: SignalEventType;
  payload: Signal;
  recorded_at: Date | string;
  market_time: string | number | null;
}

const toEvent = (row: EventRow): RecordedSignalEvent => ({
  seq: Number(row.seq),
  type: row.type,
  signal: row.payload,
  recordedAt: new Date(row.recorded_at),
  marketTime: row.market_time === null ? null : Number(row.market_time),
});

/**
 * Reads of the signal_events outbox (written by SignalStore), for the live feed and notifications.
 *
 * Ordering: writers take `pg_advisory_xact_lock` before inserting into `signal_events` and hold it to
 * commit, so seqs are handed out and committed in the same order. Hence once seq N is visible every
 * smaller seq is either visible or was rolled back and will never exist: `WHERE seq > last ORDER BY
 * seq` never skips an event, and a hole in the numbers (a rolled-back nextval) needs no waiting.
 */
@Injectable()
export class SignalEventLog {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async maxSeq(manager: EntityManager = this.db.manager): Promise<number> {
    const rows: Array<{ seq: string | number }> = await manager.query(
      'SELECT COALESCE(MAX(seq), 0) AS seq FROM signal_events',
    );
    return Number(rows[0].seq);
  }

  /** Up to `limit` committed events after `seq`, in seq order. */
  async readAfter(
    seq: number,
    limit: number,
    manager: EntityManager = this.db.manager,
  ): Promise<RecordedSignalEvent[]> {
    const rows: EventRow[] = await manager.query(
      'SELECT seq, type, payload, recorded_at, market_time FROM signal_events WHERE seq > $1 ORDER BY seq LIMIT $2',
      [seq, limit],
    );
    return rows.map(toEvent);
  }

  async find(seq: number): Promise<RecordedSignalEvent | null> {
    const rows: EventRow[] = await this.db.query(
      'SELECT seq, type, payload, recorded_at, market_time FROM signal_events WHERE seq = $1',
      [seq],
    );
    return rows.length === 0 ? null : toEvent(rows[0]);
  }

  /**
   * The events after `lastSeq` up to the current max (read in one snapshot), or null when they can't be
   * given exactly: `lastSeq` beyond the log (another database, a reset), its event gone or older than
   * the window, or more than `window.maxEvents` of them.
   */
  eventsSince(
    lastSeq: number,
    window: ResyncWindow,
  ): Promise<{ events: RecordedSignalEvent[]; seq: number } | null> {
    return this.db.transaction('REPEATABLE READ', async (manager) => {
      const max = await this.maxSeq(manager);
      if (lastSeq === max) return { events: [], seq: max };
      if (lastSeq > max) return null;
      const anchor: Array<{ fresh: boolean }> = await manager.query(
        `SELECT recorded_at > now() - make_interval(hours => $2) AS fresh FROM signal_events WHERE seq = $1`,
        [lastSeq, window.maxAgeHours],
      );
      if (anchor.length === 0 || !anchor[0].fresh) return null;
      const events = await this.readAfter(lastSeq, window.maxEvents + 1, manager);
      if (events.length > window.maxEvents) return null;
      return { events, seq: max };
    });
  }
}
