import { Injectable } from '@nestjs/common';
import { SignalEventLog, SignalQueryService } from '../signal-engine';
import { SyncAnswer } from './feed-session';
import { OutboxEvent } from './outbox-event';

/** A resync is answered with events when at most this many were missed; otherwise with a snapshot. */
export const RESYNC_MAX_EVENTS = 10_000;
/**
 * …and when the client's last event is younger than this. History purges delete old signals with
 * their events, so an old gap may have holes nobody can see; a day is far inside any retention.
 */
export const RESYNC_MAX_AGE_HOURS = 24;

const toOutboxEvent = ({ seq, type, signal }: OutboxEvent): OutboxEvent => ({ seq, type, signal });

/** What the live feed reads from the signal event log (SignalEventLog) and the signal store. */
@Injectable()
export class OutboxReader {
  constructor(
    private readonly log: SignalEventLog,
    private readonly signals: SignalQueryService,
  ) {}

  maxSeq(): Promise<number> {
    return this.log.maxSeq();
  }

  /** Up to `limit` committed events after `seq`, in seq order. */
  async after(seq: number, limit: number): Promise<OutboxEvent[]> {
    return (await this.log.readAfter(seq, limit)).map(toOutboxEvent);
  }

  async snapshot(): Promise<SyncAnswer> {
    return { kind: 'snapshot', snapshot: await this.signals.activeSnapshot() };
  }

  /** The events after `lastSeq`, or a snapshot when they can't be given exactly (see SignalEventLog.eventsSince). */
  async resync(lastSeq: number): Promise<SyncAnswer> {
    const since = await this.log.eventsSince(lastSeq, {
      maxEvents: RESYNC_MAX_EVENTS,
      maxAgeHours: RESYNC_MAX_AGE_HOURS,
    });
    if (since === null) return this.snapshot();
    return { kind: 'events', events: since.events.map(toOutboxEvent), seq: since.seq };
  }
}
