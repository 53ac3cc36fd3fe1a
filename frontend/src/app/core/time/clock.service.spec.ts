import { TestBed } from '@angular/core/testing';
import { ClockService } from './clock.service';

describe('ClockService', () => {
  beforeEach(() => jest.useFakeTimers({ now: Date.parse('2026-01-01T00:00:00Z') }));
  afterEach(() => jest.useRealTimers());

  it('follows the server clock, and market times when they are close to it (live)', () => {
    const clock = TestBed.inject(ClockService);
    clock.syncServerTime('2026-01-01T00:00:10Z');
    expect(clock.serverNow()).toBe(Date.parse('2026-01-01T00:00:10Z'));
    clock.observeMarketTime('2025-12-31T23:58:00Z');
    expect(clock.marketNow()).toBe(clock.serverNow());
  });

  it('measures against the newest market time during a replay far from the server clock', () => {
    const clock = TestBed.inject(ClockService);
    clock.observeMarketTime('2024-08-05T10:00:00Z');
    clock.observeMarketTime('2024-08-05T09:00:00Z'); // older: ignored
    jest.advanceTimersByTime(2_000);
    expect(new Date(clock.marketNow()).toISOString()).toBe('2024-08-05T10:00:02.000Z');
  });
});
