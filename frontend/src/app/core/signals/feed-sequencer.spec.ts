import type { SignalEvent } from '@scanner/contracts';
import { makeSignal } from '@app/testing/make-signal';
import { FeedSequencer } from './feed-sequencer';

const event = (seq: number, type: SignalEvent['type'] = 'updated', id = 'a'): SignalEvent => ({
  seq,
  type,
  signal: makeSignal({ id, version: seq }),
});
const seqs = (events: SignalEvent[]) => events.map((e) => e.seq);

describe('FeedSequencer', () => {
  it('holds events that arrive before the first snapshot and applies only those after it', () => {
    const s = new FeedSequencer();
    expect(s.event(event(4)).apply).toEqual([]);
    expect(s.event(event(6)).apply).toEqual([]);
    const result = s.snapshot({ seq: 5, signals: [] });
    expect(seqs(result.apply)).toEqual([6]);
    expect(s.seq).toBe(6);
  });

  it('applies consecutive events in order', () => {
    const s = new FeedSequencer();
    s.snapshot({ seq: 10, signals: [] });
    expect(seqs(s.event(event(11)).apply)).toEqual([11]);
    expect(seqs(s.event(event(12)).apply)).toEqual([12]);
    expect(s.seq).toBe(12);
  });

  it('ignores events at or below the current seq and duplicates', () => {
    const s = new FeedSequencer();
    s.snapshot({ seq: 10, signals: [] });
    expect(s.event(event(10)).apply).toEqual([]);
    expect(s.event(event(3)).apply).toEqual([]);
    s.event(event(11));
    expect(s.event(event(11)).apply).toEqual([]);
    expect(s.seq).toBe(11);
  });

  it('detects a gap once, waits, and applies everything in order when the hole is filled', () => {
    const s = new FeedSequencer();
    s.snapshot({ seq: 1, signals: [] });
    const first = s.event(event(4));
    expect(first).toEqual({ apply: [], gap: true });
    expect(s.event(event(3)).gap).toBe(false); // already asked
    expect(s.resyncPending).toBe(true);
    expect(seqs(s.event(event(2)).apply)).toEqual([2, 3, 4]);
    expect(s.resyncPending).toBe(false);
    expect(s.seq).toBe(4);
  });

  it('a fresh snapshot replaces the state and drops held events it already contains', () => {
    const s = new FeedSequencer();
    s.snapshot({ seq: 1, signals: [] });
    s.event(event(5));
    s.event(event(9));
    const result = s.snapshot({ seq: 8, signals: [] });
    expect(seqs(result.apply)).toEqual([9]);
    expect(s.resyncPending).toBe(false);
  });

  it('asks again for a resync after resetResync when a hole remains', () => {
    const s = new FeedSequencer();
    s.snapshot({ seq: 1, signals: [] });
    expect(s.event(event(3)).gap).toBe(true);
    s.resetResync();
    expect(s.event(event(4)).gap).toBe(true);
  });
});
