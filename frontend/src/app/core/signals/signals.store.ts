import { computed, DestroyRef, inject, Injectable, signal } from '@angular/core';
import type { ScannerStatusPayload, Signal, SignalEvent } from '@scanner/contracts';
import { FeedMessage } from '@app/core/socket/feed-message';
import { SignalsSocketService } from '@app/core/socket/signals-socket.service';
import { ClockService } from '@app/core/time/clock.service';
import { CLOSING_LINGER_MS } from './closing-signal';
import { FEED_BATCH_SCHEDULER } from './feed-batch-scheduler';
import { FeedSequencer } from './feed-sequencer';

const RESYNC_RETRY_MS = 5_000;
const UPDATE_WINDOW_MS = 60_000;

/**
 * The live set of active signals, kept equal to the server's: snapshot on connect, events in seq order,
 * resync after a reconnect or a hole. Messages are queued and applied once per animation frame.
 */
@Injectable({ providedIn: 'root' })
export class SignalsStore {
  private readonly socket = inject(SignalsSocketService);
  private readonly clock = inject(ClockService);
  private readonly schedule = inject(FEED_BATCH_SCHEDULER);
  private readonly sequencer = new FeedSequencer();
  private queue: FeedMessage[] = [];
  private flushScheduled = false;
  private resyncTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly closingTimers = new Map<string, ReturnType<typeof setTimeout>>();

  private readonly activeSignal = signal<ReadonlyMap<string, Signal>>(new Map());
  private readonly closingSignal = signal<ReadonlyMap<string, Signal>>(new Map());
  private readonly seqSignal = signal<number | null>(null);
  private readonly statusSignal = signal<ScannerStatusPayload | null>(null);
  private readonly changeTimes = signal<readonly number[]>([]);
  private readonly deletedCount = signal(0);

  /** Active signals by id, exactly as the server holds them after the last applied event. */
  readonly active = this.activeSignal.asReadonly();
  /** Just-closed signals still fading out on the grid (with their closing status). */
  readonly closing = this.closingSignal.asReadonly();
  /** Last applied event seq; null until the first snapshot arrives. */
  readonly seq = this.seqSignal.asReadonly();
  readonly loaded = computed(() => this.seqSignal() !== null);
  readonly scannerStatus = this.statusSignal.asReadonly();
  /** Bumped on every close, so views listing closed signals know to reload. */
  readonly closedEvents = this.deletedCount.asReadonly();

  readonly activeCount = computed(() => this.activeSignal().size);
  readonly averageConfidence = computed(() => {
    const signals = this.activeSignal();
    if (signals.size === 0) return null;
    let sum = 0;
    for (const s of signals.values()) sum += s.confidence;
    return sum / signals.size;
  });
  /** Signal events (created, updated, closed) received in the last minute. */
  readonly updatesLastMinute = computed(() => {
    const since = this.clock.now() - UPDATE_WINDOW_MS;
    return this.changeTimes().filter((t) => t > since).length;
  });
  /** Active and just-closed signals: what the live grid shows. */
  readonly visible = computed(() => [...this.activeSignal().values(), ...this.closingSignal().values()]);

  constructor() {
    const subscription = this.socket.messages.subscribe((message) => this.enqueue(message));
    inject(DestroyRef).onDestroy(() => {
      subscription.unsubscribe();
      if (this.resyncTimer) clearTimeout(this.resyncTimer);
      this.closingTimers.forEach((timer) => clearTimeout(timer));
    });
  }

  get(id: string): Signal | undefined {
    return this.activeSignal().get(id) ?? this.closingSignal().get(id);
  }

  /** Applies everything queued now (normally done once per animation frame). */
  flush(): void {
    this.flushScheduled = false;
    const messages = this.queue;
    this.queue = [];
    if (messages.length === 0) return;
    let active: Map<string, Signal> | null = null;
    const mutable = () => (active ??= new Map(this.activeSignal()));
    const closed: Signal[] = [];
    let changes = 0;
    for (const message of messages) {
      switch (message.kind) {
        case 'connected':
          if (message.reconnect && this.sequencer.seq !== null) this.requestResync();
          break;
        case 'status':
          this.clock.syncServerTime(message.payload.serverTime);
          this.statusSignal.set(message.payload);
          break;
        case 'snapshot': {
          const next = mutable();
          next.clear();
          for (const s of message.payload.signals) next.set(s.id, s);
          changes += this.applyAll(this.sequencer.snapshot(message.payload).apply, next, closed);
          this.clearResyncTimer();
          break;
        }
        case 'change': {
          const event: SignalEvent = {
            seq: message.payload.seq,
            type: message.type,
            signal: message.payload.signal,
          };
          const result = this.sequencer.event(event);
          changes += this.applyAll(result.apply, mutable(), closed);
          if (result.gap) this.requestResync();
          if (!this.sequencer.resyncPending) this.clearResyncTimer();
          break;
        }
      }
    }
    // (TypeScript cannot see the assignment inside mutable(): widen again.)
    const changed = active as Map<string, Signal> | null;
    if (changed) {
      let newest: string | null = null;
      for (const s of changed.values()) if (newest === null || s.updatedAt > newest) newest = s.updatedAt;
      for (const s of closed) if (s.closedAt && (newest === null || s.closedAt > newest)) newest = s.closedAt;
      this.clock.observeMarketTime(newest);
      this.activeSignal.set(changed);
    }
    this.seqSignal.set(this.sequencer.seq);
    if (changes > 0) this.recordChanges(changes);
    if (closed.length > 0) this.startClosing(closed);
  }

  private enqueue(message: FeedMessage): void {
    this.queue.push(message);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    this.schedule(() => this.flush());
  }

  private applyAll(events: SignalEvent[], active: Map<string, Signal>, closed: Signal[]): number {
    for (const { type, signal: s } of events) {
      if (type === 'deleted') {
        if (active.delete(s.id)) closed.push(s);
      } else {
        active.set(s.id, s);
      }
    }
    return events.length;
  }

  private requestResync(): void {
    const seq = this.sequencer.seq;
    if (seq === null) return;
    this.socket.resync(seq);
    this.clearResyncTimer();
    this.resyncTimer = setTimeout(() => {
      // No answer: ask again rather than wait on a hole forever.
      this.sequencer.resetResync();
      this.resyncTimer = null;
      if (this.sequencer.seq !== null) this.requestResync();
    }, RESYNC_RETRY_MS);
  }

  private clearResyncTimer(): void {
    if (this.resyncTimer) clearTimeout(this.resyncTimer);
    this.resyncTimer = null;
  }

  private recordChanges(count: number): void {
    const now = Date.now();
    const since = now - UPDATE_WINDOW_MS;
    const kept = this.changeTimes().filter((t) => t > since);
    for (let i = 0; i < count; i++) kept.push(now);
    this.changeTimes.set(kept);
  }

  private startClosing(closed: Signal[]): void {
    const closing = new Map(this.closingSignal());
    for (const s of closed) {
      closing.set(s.id, s);
      const previous = this.closingTimers.get(s.id);
      if (previous) clearTimeout(previous);
      this.closingTimers.set(
        s.id,
        setTimeout(() => this.finishClosing(s.id), CLOSING_LINGER_MS),
      );
    }
    this.closingSignal.set(closing);
    this.deletedCount.update((n) => n + closed.length);
  }

  private finishClosing(id: string): void {
    this.closingTimers.delete(id);
    const closing = new Map(this.closingSignal());
    closing.delete(id);
    this.closingSignal.set(closing);
  }
}
