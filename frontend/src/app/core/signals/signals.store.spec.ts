import { TestBed } from '@angular/core/testing';
import type { ScannerStatusPayload, Signal } from '@scanner/contracts';
import { FakeSocket } from '@app/testing/fake-socket';
import { makeSignal } from '@app/testing/make-signal';
import { SignalsClientSocket, SOCKET_FACTORY } from '@app/core/socket/socket-factory';
import { CLOSING_LINGER_MS } from './closing-signal';
import { FEED_BATCH_SCHEDULER } from './feed-batch-scheduler';
import { SignalsStore } from './signals.store';

describe('SignalsStore', () => {
  let fake: FakeSocket;
  let store: SignalsStore;
  let flushes: (() => void)[];

  beforeEach(() => {
    jest.useFakeTimers();
    fake = new FakeSocket();
    flushes = [];
    TestBed.configureTestingModule({
      providers: [
        { provide: SOCKET_FACTORY, useValue: () => fake as unknown as SignalsClientSocket },
        { provide: FEED_BATCH_SCHEDULER, useValue: (flush: () => void) => flushes.push(flush) },
      ],
    });
    store = TestBed.inject(SignalsStore);
  });
  afterEach(() => jest.useRealTimers());

  const frame = () => flushes.splice(0).forEach((flush) => flush());
  const ids = () => [...store.active().keys()].sort();
  const change = (type: 'created' | 'updated' | 'deleted', seq: number, signal: Signal) =>
    fake.emitLocal(`signal.${type}`, { seq, signal });
  const resyncs = () => fake.sent.filter((m) => m.event === 'resync').map((m) => m.args[0]);

  function connectWith(seq: number, signals: Signal[]): void {
    fake.emitLocal('connect');
    fake.emitLocal('signals.snapshot', { seq, signals });
    frame();
  }

  it('takes the snapshot sent on connect', () => {
    expect(store.loaded()).toBe(false);
    connectWith(5, [makeSignal({ id: 'a', confidence: 70 }), makeSignal({ id: 'b', confidence: 80 })]);
    expect(store.loaded()).toBe(true);
    expect(store.seq()).toBe(5);
    expect(ids()).toEqual(['a', 'b']);
    expect(store.activeCount()).toBe(2);
    expect(store.averageConfidence()).toBe(75);
  });

  it('applies created, updated and deleted events in seq order, batched into one state change per frame', () => {
    connectWith(1, [makeSignal({ id: 'a' })]);
    const before = store.active();
    change('created', 2, makeSignal({ id: 'b' }));
    change('updated', 3, makeSignal({ id: 'a', confidence: 90, version: 2 }));
    expect(store.active()).toBe(before); // not applied until the frame
    frame();
    expect(ids()).toEqual(['a', 'b']);
    expect(store.active().get('a')?.confidence).toBe(90);
    change('deleted', 4, makeSignal({ id: 'b', status: 'TP_HIT', outcomeR: 1.67 }));
    frame();
    expect(ids()).toEqual(['a']);
    expect(store.seq()).toBe(4);
    expect(store.updatesLastMinute()).toBe(3);
  });

  it('keeps the object of an unchanged signal, so its card does not re-render', () => {
    connectWith(1, [makeSignal({ id: 'a' }), makeSignal({ id: 'b' })]);
    const b = store.active().get('b');
    change('updated', 2, makeSignal({ id: 'a', version: 2 }));
    frame();
    expect(store.active().get('b')).toBe(b);
  });

  it('ignores duplicate and old events', () => {
    connectWith(10, [makeSignal({ id: 'a', confidence: 70 })]);
    change('updated', 9, makeSignal({ id: 'a', confidence: 10 }));
    change('updated', 10, makeSignal({ id: 'a', confidence: 20 }));
    change('created', 11, makeSignal({ id: 'b' }));
    change('created', 11, makeSignal({ id: 'b', confidence: 99 }));
    frame();
    expect(store.active().get('a')?.confidence).toBe(70);
    expect(store.active().get('b')?.confidence).toBe(75);
    expect(store.activeCount()).toBe(2);
    expect(resyncs()).toEqual([]);
  });

  it('detects a gap, asks for a resync from the last applied seq, and applies the missed events in order', () => {
    connectWith(1, []);
    change('updated', 4, makeSignal({ id: 'a', confidence: 95, version: 3 }));
    frame();
    expect(resyncs()).toEqual([{ lastSeq: 1 }]);
    expect(store.activeCount()).toBe(0);
    // The server replays 2 and 3 (and 4 again).
    change('created', 2, makeSignal({ id: 'a', confidence: 70 }));
    change('updated', 3, makeSignal({ id: 'a', confidence: 80, version: 2 }));
    change('updated', 4, makeSignal({ id: 'a', confidence: 95, version: 3 }));
    frame();
    expect(store.seq()).toBe(4);
    expect(store.active().get('a')?.confidence).toBe(95);
    expect(resyncs()).toHaveLength(1);
  });

  it('asks again when a resync gets no answer', () => {
    connectWith(1, []);
    change('created', 3, makeSignal({ id: 'a' }));
    frame();
    jest.advanceTimersByTime(5_000);
    expect(resyncs()).toEqual([{ lastSeq: 1 }, { lastSeq: 1 }]);
  });

  it('resyncs after a reconnect and ends exactly at the server state (fresh snapshot wins)', () => {
    connectWith(3, [makeSignal({ id: 'a' }), makeSignal({ id: 'b' })]);
    fake.emitLocal('disconnect', 'transport close');
    fake.emitLocal('connect');
    frame();
    expect(resyncs()).toEqual([{ lastSeq: 3 }]);
    // Meanwhile b closed and c appeared; the server answers with a snapshot and replays old events.
    fake.emitLocal('signals.snapshot', {
      seq: 6,
      signals: [makeSignal({ id: 'a' }), makeSignal({ id: 'c' })],
    });
    change('deleted', 5, makeSignal({ id: 'b', status: 'SL_HIT' }));
    change('updated', 7, makeSignal({ id: 'c', confidence: 88, version: 2 }));
    frame();
    expect(ids()).toEqual(['a', 'c']);
    expect(store.active().get('c')?.confidence).toBe(88);
    expect(store.seq()).toBe(7);
  });

  it('keeps a closed signal on the grid with its outcome for a few seconds, then drops it', () => {
    connectWith(1, [makeSignal({ id: 'a' })]);
    change('deleted', 2, makeSignal({ id: 'a', status: 'TP_HIT', outcomeR: 1.67 }));
    frame();
    expect(store.visible().map((s) => [s.id, s.status])).toEqual([['a', 'TP_HIT']]);
    expect(store.closedEvents()).toBe(1);
    jest.advanceTimersByTime(CLOSING_LINGER_MS);
    expect(store.visible()).toEqual([]);
  });

  it('keeps the scanner status', () => {
    const status: ScannerStatusPayload = {
      state: 'idle',
      lastScanAt: '2024-08-05T10:00:00Z',
      lastScanDurationMs: 900,
      symbols: 34,
      activeSignals: 2,
      paused: false,
      exchangeBackoff: false,
      pauseUntil: null,
      serverTime: '2024-08-05T10:00:10Z',
      marketData: {
        source: 'stream',
        state: 'streaming',
        connections: 1,
        streams: 34,
        lastEvaluationLagMs: 40,
        lastStreamedCloseAt: '2024-08-05T10:00:00Z',
        lastEvaluatedAt: '2024-08-05T10:00:00.040Z',
        detail: '1 connection(s), 34 streams',
      },
    };
    fake.emitLocal('scanner.status', status);
    frame();
    expect(store.scannerStatus()).toEqual(status);
  });

  it('counts only updates from the last minute', () => {
    connectWith(1, []);
    change('created', 2, makeSignal({ id: 'a' }));
    frame();
    expect(store.updatesLastMinute()).toBe(1);
    jest.advanceTimersByTime(61_000);
    expect(store.updatesLastMinute()).toBe(0);
  });
});
