import type { Signal } from '@scanner/contracts';
import { isFresh } from './notification.service';

const signal = (overrides: Partial<Signal>): Signal => ({ timeframe: '5m', createdAt: '2026-01-01T10:00:00.000Z', updatedAt: '2026-01-01T10:00:00.000Z', closedAt: null, ...overrides }) as Signal;

describe('isFresh', () => {
  it('keeps a creation recorded within two candles (+1 min) of its market time', () => {
    expect(isFresh({ type: 'created', payload: signal({}), recordedAt: new Date('2026-01-01T10:11:00.000Z') })).toBe(true);
    expect(isFresh({ type: 'created', payload: signal({}), recordedAt: new Date('2026-01-01T10:11:01.000Z') })).toBe(false);
  });

  it('judges a close by its closing time and scales with the timeframe', () => {
    const closed = signal({ timeframe: '1h', closedAt: '2026-01-01T12:00:00.000Z' });
    expect(isFresh({ type: 'deleted', payload: closed, recordedAt: new Date('2026-01-01T13:30:00.000Z') })).toBe(true);
    expect(isFresh({ type: 'deleted', payload: closed, recordedAt: new Date('2026-01-01T14:02:00.000Z') })).toBe(false);
  });
});
