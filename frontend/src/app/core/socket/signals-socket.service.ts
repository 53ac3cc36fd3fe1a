import { DestroyRef, inject, Injectable, signal } from '@angular/core';
import { SIGNALS_NAMESPACE, SignalsSnapshotPayload, SocketEvents } from '@scanner/contracts';
import { ConnectionState } from './connection-state';
import { SignalsClientSocket, SOCKET_FACTORY } from './socket-factory';

/** The one connection to the `/signals` namespace; exposes its state and the last snapshot as signals. */
@Injectable({ providedIn: 'root' })
export class SignalsSocketService {
  private readonly socket: SignalsClientSocket;
  private readonly stateSignal = signal<ConnectionState>('connecting');
  private readonly attemptSignal = signal(0);
  private readonly snapshotSignal = signal<SignalsSnapshotPayload | null>(null);

  readonly state = this.stateSignal.asReadonly();
  /** Reconnection attempts since the connection was lost (0 while connected). */
  readonly attempt = this.attemptSignal.asReadonly();
  readonly snapshot = this.snapshotSignal.asReadonly();

  constructor() {
    this.socket = inject(SOCKET_FACTORY)(SIGNALS_NAMESPACE);
    this.socket.on('connect', () => {
      this.stateSignal.set('connected');
      this.attemptSignal.set(0);
    });
    this.socket.on('disconnect', (reason) => {
      // A server-side disconnect is not retried by socket.io itself: reconnect explicitly.
      if (reason === 'io server disconnect') this.socket.connect();
      this.stateSignal.set('reconnecting');
    });
    this.socket.io.on('reconnect_attempt', (attempt) => {
      this.stateSignal.set('reconnecting');
      this.attemptSignal.set(attempt);
    });
    this.socket.io.on('reconnect_failed', () => this.stateSignal.set('offline'));
    this.socket.on('connect_error', () => {
      if (!this.socket.active) this.stateSignal.set('offline');
    });
    this.socket.on(SocketEvents.snapshot, (payload) => this.snapshotSignal.set(payload));
    inject(DestroyRef).onDestroy(() => this.socket.disconnect());
  }
}
