import { scheduledTick } from './cron-tick';

describe('scheduledTick', () => {
  const minute = '0 * * * * *';

  it('maps a tick fired on time, or late by less than half a period, to the scheduled instant', () => {
    const scheduled = Date.parse('2026-11-26T10:05:00.000Z');
    expect(scheduledTick(minute, scheduled).toISOString()).toBe('2026-11-26T10:05:00.000Z');
    expect(scheduledTick(minute, scheduled + 7).toISOString()).toBe('2026-11-26T10:05:00.000Z');
    expect(scheduledTick(minute, scheduled + 29_000).toISOString()).toBe('2026-11-26T10:05:00.000Z');
  });

  it('maps a tick fired slightly early to the same instant', () => {
    expect(scheduledTick(minute, Date.parse('2026-11-26T10:04:59.990Z')).toISOString()).toBe(
      '2026-11-26T10:05:00.000Z',
    );
  });

  it('works for other periods', () => {
    expect(scheduledTick('0 */10 * * * *', Date.parse('2026-11-26T10:20:03.000Z')).toISOString()).toBe(
      '2026-11-26T10:20:00.000Z',
    );
    expect(scheduledTick('*/5 * * * * *', Date.parse('2026-11-26T10:20:06.000Z')).toISOString()).toBe(
      '2026-11-26T10:20:05.000Z',
    );
  });
});
