import { cronPeriodMs, scanFreshness, type ScanFreshnessInput } from './scan-freshness';

const minute = 60_000;
const start = new Date('2026-01-01T10:00:00Z');
const at = (minutes: number) => new Date(start.getTime() + minutes * minute);
/** The exchange replays 2024 while the host lives in 2026: its own time line. */
const market = Date.parse('2024-08-04T10:00:00Z');
const marketAt = (minutes: number) => market + minutes * minute;

const base: ScanFreshnessInput = {
  lastSuccessAt: at(10),
  processStartedAt: start,
  now: at(10),
  marketNow: marketAt(0),
  newestCandleClose: marketAt(0),
  intervalMs: 5 * minute,
  periodMs: minute,
  paused: false,
  haltSince: null,
};

describe('scanFreshness on market time', () => {
  it('judges the newest stored candle against the exchange clock: one candle plus 3 scan periods', () => {
    // 3 periods (3 min) + one 5m candle = 8 market minutes.
    const fresh = scanFreshness({ ...base, marketNow: marketAt(8) });
    expect(fresh).toMatchObject({
      up: true,
      details: {
        clock: 'exchange',
        newestCandleClosedAt: '2024-08-04T10:00:00.000Z',
        marketNow: '2024-08-04T10:08:00.000Z',
        ageSeconds: 480,
        maxAgeSeconds: 480,
      },
    });
    const stale = scanFreshness({ ...base, marketNow: marketAt(8.1) });
    expect(stale).toMatchObject({ up: false, details: { ageSeconds: 486, maxAgeSeconds: 480 } });
  });

  it('ignores the host clock once candles are stored: a scan that just ran does not make stale data fresh, nor a host clock far off stale', () => {
    // The host says the last scan was a second ago; the exchange says the newest candle is an hour old.
    expect(scanFreshness({ ...base, lastSuccessAt: at(10), now: at(10), marketNow: marketAt(60) }).up).toBe(
      false,
    );
    // The host's clock is two years ahead of the exchange and the last scan "a day ago" on it: the data is current.
    expect(scanFreshness({ ...base, lastSuccessAt: at(-1440), now: at(10), marketNow: marketAt(2) }).up).toBe(
      true,
    );
  });

  it('during a whole-exchange halt no candle is due: the data is judged at the start of the halt', () => {
    const halted = scanFreshness({ ...base, marketNow: marketAt(45), haltSince: marketAt(0) });
    expect(halted).toMatchObject({ up: true, details: { ageSeconds: 0 } });
    expect(halted.details.note).toMatch(/exchange halted since 2024-08-04T10:00:00.000Z/);
    // Already stale when the halt began: still not ready.
    expect(
      scanFreshness({
        ...base,
        newestCandleClose: marketAt(-30),
        marketNow: marketAt(45),
        haltSince: marketAt(0),
      }).up,
    ).toBe(false);
  });

  it('treats an operator pause as intended, not as a failure', () => {
    expect(scanFreshness({ ...base, marketNow: marketAt(600), paused: true })).toMatchObject({
      up: true,
      details: { paused: true },
    });
  });
});

describe('scanFreshness before any candle is stored (no market time yet)', () => {
  const none = { ...base, newestCandleClose: null };

  it('is up while the last successful scan is younger than 3 periods', () => {
    expect(scanFreshness({ ...none, lastSuccessAt: at(10), now: at(13) }).up).toBe(true);
    const stale = scanFreshness({ ...none, lastSuccessAt: at(10), now: at(13.1) });
    expect(stale).toMatchObject({
      up: false,
      details: { clock: 'host', ageSeconds: 186, maxAgeSeconds: 180 },
    });
  });

  it('gives a fresh process 3 periods for its first scan, then reports it missing', () => {
    expect(scanFreshness({ ...none, lastSuccessAt: null, now: at(2) })).toMatchObject({
      up: true,
      details: { note: 'waiting for the first successful scan' },
    });
    expect(scanFreshness({ ...none, lastSuccessAt: null, now: at(4) }).up).toBe(false);
  });
});

describe('cronPeriodMs', () => {
  it('measures the period of a cron expression', () => {
    expect(cronPeriodMs('0 * * * * *', start)).toBe(minute);
    expect(cronPeriodMs('*/5 * * * * *', start)).toBe(5_000);
  });
});
