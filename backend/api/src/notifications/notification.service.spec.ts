import type { Signal } from '@scanner/contracts';
import { isFresh, meetsMinPTarget } from './notification.service';

const signal = (overrides: Partial<Signal>): Signal =>
  ({
    timeframe: '5m',
    createdAt: '2026-01-01T10:00:00.000Z',
    updatedAt: '2026-01-01T10:00:00.000Z',
    closedAt: null,
    ...overrides,
  }) as Signal;

describe('isFresh', () => {
  it('keeps a creation recorded within two candles (+1 min) of its market time', () => {
    expect(
      isFresh({
        type: 'created',
        signal: signal({}),
        recordedAt: new Date('2026-01-01T10:11:00.000Z'),
        marketTime: null,
      }),
    ).toBe(true);
    expect(
      isFresh({
        type: 'created',
        signal: signal({}),
        recordedAt: new Date('2026-01-01T10:11:01.000Z'),
        marketTime: null,
      }),
    ).toBe(false);
  });

  it('judges a close by its closing time and scales with the timeframe', () => {
    const closed = signal({ timeframe: '1h', closedAt: '2026-01-01T12:00:00.000Z' });
    expect(
      isFresh({
        type: 'deleted',
        signal: closed,
        recordedAt: new Date('2026-01-01T13:30:00.000Z'),
        marketTime: null,
      }),
    ).toBe(true);
    expect(
      isFresh({
        type: 'deleted',
        signal: closed,
        recordedAt: new Date('2026-01-01T14:02:00.000Z'),
        marketTime: null,
      }),
    ).toBe(false);
  });

  it('judges against the market time of the step that recorded it, not the host clock: a replay of 2024 is fresh in 2026', () => {
    const replayed = signal({ createdAt: '2024-08-05T10:04:59.999Z' });
    const recordedAt = new Date('2026-12-02T12:00:00.000Z');
    expect(
      isFresh({
        type: 'created',
        signal: replayed,
        recordedAt,
        marketTime: Date.parse('2024-08-05T10:05:01.000Z'),
      }),
    ).toBe(true);
    // A warm-up replays history: its signals are far behind the market time of the step.
    expect(
      isFresh({
        type: 'created',
        signal: replayed,
        recordedAt,
        marketTime: Date.parse('2024-08-05T12:00:00.000Z'),
      }),
    ).toBe(false);
  });
});

describe('meetsMinPTarget (NOTIFY_MIN_PTARGET)', () => {
  it('without a minimum every signal passes', () => {
    expect(meetsMinPTarget({ pTarget: null }, null)).toBe(true);
    expect(meetsMinPTarget({ pTarget: 0.1 }, null)).toBe(true);
  });

  it('with one, only a pTarget at or above it; a signal without pTarget does not pass', () => {
    expect(meetsMinPTarget({ pTarget: 0.55 }, 0.55)).toBe(true);
    expect(meetsMinPTarget({ pTarget: 0.549 }, 0.55)).toBe(false);
    expect(meetsMinPTarget({ pTarget: null }, 0.55)).toBe(false);
    expect(meetsMinPTarget({}, 0)).toBe(false);
  });
});
