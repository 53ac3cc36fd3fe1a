import {
  ScannerStatusPayload,
  Signal,
  SignalChangePayload,
  SIGNALS_NAMESPACE,
  SignalsSnapshotPayload,
  SocketEvents,
} from '@scanner/contracts';
import { io, Socket } from 'socket.io-client';
import { eventually } from './test-env';

export interface ReceivedChange {
  event: 'signal.created' | 'signal.updated' | 'signal.deleted';
  seq: number;
  signal: Signal;
}

/**
 * A live-feed client that keeps the active set like the dashboard: a snapshot replaces it, a change
 * with a greater seq applies, anything else would be a duplicate. Records everything it receives.
 */
export class FeedClientModel {
  readonly socket: Socket;
  readonly active = new Map<string, Signal>();
  seq = -1;
  readonly snapshots: SignalsSnapshotPayload[] = [];
  readonly changes: ReceivedChange[] = [];
  readonly statuses: ScannerStatusPayload[] = [];
  /** Seqs of the changes applied, in order. */
  readonly applied: number[] = [];
  /** Changes received with a seq ≤ the one already applied (skipped, as the dashboard does). */
  readonly stale: ReceivedChange[] = [];
  /** When set, snapshots are recorded but not applied (a client resuming with `resync` instead). */
  ignoreSnapshots = false;

  constructor(url: string) {
    this.socket = io(`${url}${SIGNALS_NAMESPACE}`, {
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
    });
    this.socket.on(SocketEvents.snapshot, (snapshot: SignalsSnapshotPayload) => {
      this.snapshots.push(snapshot);
      if (this.ignoreSnapshots) return;
      this.active.clear();
      for (const signal of snapshot.signals) this.active.set(signal.id, signal);
      this.seq = snapshot.seq;
    });
    for (const event of [SocketEvents.created, SocketEvents.updated, SocketEvents.deleted] as const) {
      this.socket.on(event, (payload: SignalChangePayload) =>
        this.apply({ event, seq: payload.seq, signal: payload.signal }),
      );
    }
    this.socket.on(SocketEvents.scannerStatus, (status: ScannerStatusPayload) => this.statuses.push(status));
  }

  private apply(change: ReceivedChange): void {
    this.changes.push(change);
    if (change.seq <= this.seq) {
      this.stale.push(change);
      return;
    }
    this.seq = change.seq;
    this.applied.push(change.seq);
    if (change.event === SocketEvents.deleted) this.active.delete(change.signal.id);
    else this.active.set(change.signal.id, change.signal);
  }

  ready(): Promise<SignalsSnapshotPayload> {
    return eventually(async () => this.snapshots[0], 15_000, 'the first snapshot');
  }

  /** Waits until the client has applied `seq` (or later). */
  reached(seq: number, timeoutMs = 15_000): Promise<true> {
    return eventually(async () => this.seq >= seq, timeoutMs, `client at seq ${seq} (is at ${this.seq})`);
  }

  sortedActive(): Signal[] {
    return [...this.active.values()].sort((a, b) => a.id.localeCompare(b.id));
  }

  close(): void {
    this.socket.disconnect();
  }
}
