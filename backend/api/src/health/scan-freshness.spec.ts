import { cronPeriodMs, scanFreshness } from './scan-freshness';

const minute = 60_000;
const start = new Date('2026-01-01T10:00:00Z');
const at = (minutes: number) => new Date(start.getTime() + minutes * minute);

describe('scanFreshness', () => {
  it('is up while the last successful scan is younger than 3 periods', () => {
    expect(
      scanFreshness({
        lastSuccessAt: at(10),
        processStartedAt: start,
        now: at(13),
        periodMs: minute,
        paused: false,
      }).up,
    ).toBe(true);
    const stale = scanFreshness({
      lastSuccessAt: at(10),
      processStartedAt: start,
      now: at(13.1),
      periodMs: minute,
      paused: false,
    });
    expect(stale.up).toBe(false);
    expect(stale.details).toMatchObject({ ageSeconds: 186, maxAgeSeconds: 180 });
  });

  it('gives a fresh process 3 periods for its first scan, then reports it missing', () => {
    const waiting = scanFreshness({
      lastSuccessAt: null,
      processStartedAt: start,
      now: at(2),
      periodMs: minute,
      paused: false,
    });
    expect(waiting).toMatchObject({ up: true, details: { note: 'waiting for the first successful scan' } });
    expect(
      scanFreshness({
        lastSuccessAt: null,
        processStartedAt: start,
        now: at(4),
        periodMs: minute,
        paused: false,
      }).up,
    ).toBe(false);
  });

  it('treats an operator pause as intended, not as a failure', () => {
    expect(
      scanFreshness({
        lastSuccessAt: at(0),
        processStartedAt: start,
        now: at(600),
        periodMs: minute,
        paused: true,
      }),
    ).toMatchObject({ up: true, details: { paused: true } });
  });
});

describe('cronPeriodMs', () => {
  it('measures the period of a cron expression', () => {
    expect(cronPeriodMs('0 * * * * *', start)).toBe(minute);
    expect(cronPeriodMs('*/5 * * * * *', start)).toBe(5_000);
  });
});
