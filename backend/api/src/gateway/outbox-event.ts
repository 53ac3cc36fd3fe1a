import { Signal, SignalEventType, SocketEvents } from '@scanner/contracts';

/** One `signal_events` row as the live feed carries it. */
export interface OutboxEvent {
  seq: number;
  type: SignalEventType;
  signal: Signal;
}

export type SignalChangeEventName = (typeof SocketEvents)['created' | 'updated' | 'deleted'];

export const CHANGE_EVENT_NAMES: Record<SignalEventType, SignalChangeEventName> = {
  created: SocketEvents.created,
  updated: SocketEvents.updated,
  deleted: SocketEvents.deleted,
};
