import { DestroyRef, inject, Injectable, signal } from '@angular/core';
import {
  MarketMatrixSnapshot,
  MarketMatrixTick,
  ReplayProgress,
  SIGNALS_NAMESPACE,
  SignalChangePayload,
  SignalEventType,
  SocketEvents,
} from '@scanner/contracts';
import { Observable, Subject } from 'rxjs';
import { ConnectionState } from './connection-state';
import { FeedMessage } from './feed-message';
import { SignalsClientSocket, SOCKET_FACTORY } from './socket-factory';

export type MarketMessage =
  { kind: 'snapshot'; payload: MarketMatrixSnapshot } | { kind: 'tick'; payload: MarketMatrixTick };

/**
 * The one connection to the `/signals` namespace. Connection state is exposed as signals; the feed
 * itself as one ordered stream of messages (the only RxJS in the app), turned into signals by SignalsStore.
 */
@Injectable({ providedIn: 'root' })
export class SignalsSocketService {
  private readonly socket: SignalsClientSocket;
  private readonly stateSignal = signal<ConnectionState>('connecting');
  private readonly attemptSignal = signal(0);
  private readonly messagesSubject = new Subject<FeedMessage>();
  private readonly marketSubject = new Subject<MarketMessage>();
  private readonly replaySubject = new Subject<ReplayProgress>();
  private everConnected = false;

  readonly state = this.stateSignal.asReadonly();
  /** Reconnection attempts since the connection was lost (0 while connected). */
  readonly attempt = this.attemptSignal.asReadonly();
  readonly messages: Observable<FeedMessage> = this.messagesSubject.asObservable();
  /** The market matrix (only after `marketSubscribe`): its snapshot, then its ticks. */
  readonly market: Observable<MarketMessage> = this.marketSubject.asObservable();
  /** A/B replay progress (`replay.progress`), sent to every socket while a replay is queued or running. */
  readonly replayProgress: Observable<ReplayProgress> = this.replaySubject.asObservable();

  constructor() {
    this.socket = inject(SOCKET_FACTORY)(SIGNALS_NAMESPACE);
    this.socket.on('connect', () => {
      this.stateSignal.set('connected');
      this.attemptSignal.set(0);
      this.messagesSubject.next({ kind: 'connected', reconnect: this.everConnected });
      this.everConnected = true;
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
    this.socket.on(SocketEvents.snapshot, (payload) =>
      this.messagesSubject.next({ kind: 'snapshot', payload }),
    );
    this.socket.on(SocketEvents.created, (payload) => this.change('created', payload));
    this.socket.on(SocketEvents.updated, (payload) => this.change('updated', payload));
    this.socket.on(SocketEvents.deleted, (payload) => this.change('deleted', payload));
    this.socket.on(SocketEvents.scannerStatus, (payload) =>
      this.messagesSubject.next({ kind: 'status', payload }),
    );
    this.socket.on(SocketEvents.marketSnapshot, (payload) =>
      this.marketSubject.next({ kind: 'snapshot', payload }),
    );
    this.socket.on(SocketEvents.marketTick, (payload) => this.marketSubject.next({ kind: 'tick', payload }));
    this.socket.on(SocketEvents.replayProgress, (payload) => this.replaySubject.next(payload));
    inject(DestroyRef).onDestroy(() => {
      this.messagesSubject.complete();
      this.marketSubject.complete();
      this.replaySubject.complete();
      this.socket.disconnect();
    });
  }

  /** Asks the server for every event after `lastSeq` (or a fresh snapshot when it no longer has them). */
  resync(lastSeq: number): void {
    if (this.socket.connected) this.socket.emit(SocketEvents.resync, { lastSeq });
  }

  /** Asks for the market matrix: a snapshot, then ticks (again after each reconnect). */
  marketSubscribe(): void {
    if (this.socket.connected) this.socket.emit(SocketEvents.marketSubscribe);
  }

  marketUnsubscribe(): void {
    if (this.socket.connected) this.socket.emit(SocketEvents.marketUnsubscribe);
  }

  private change(type: SignalEventType, payload: SignalChangePayload): void {
    this.messagesSubject.next({ kind: 'change', type, payload });
  }
}
