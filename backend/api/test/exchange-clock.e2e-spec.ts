import { ExchangeSim, startExchangeSim } from '@scanner/exchange-sim';
import type { HealthReport } from '@scanner/contracts';
import { appForSuite } from './support/app-suite';
import { eventually } from './support/test-env';

/** The exchange's clock runs this far behind the host's (the simulator's clockOffsetMs). */
const BEHIND_MS = 1_500;

/**
 * Polling mode against an exchange whose clock is 1.5 s behind the host (the replay mapped onto today,
 * at real speed): scans are timed on the exchange's clock, the offset is measured, exported and named
 * in readiness.
 */
describe('the exchange clock: measured, exposed, and the polling scans timed on it', () => {
  let sim: ExchangeSim;

  beforeAll(async () => {
    sim = await startExchangeSim({
      symbols: ['BTCUSDT', 'ETHUSDT'],
      intervals: ['5m'],
      timeOffset: { mapDataTime: '2024-08-04T00:00:00Z', to: Date.now() },
      clock: { speed: 1 },
      faults: { clockOffsetMs: -BEHIND_MS },
      log: false,
    });
  });

  const app = appForSuite(() => ({
    BINANCE_REST_URL: sim.url,
    MARKET_DATA_SOURCE: 'poll',
    SCAN_TIMEFRAMES: '5m',
    SCAN_CRON: '*/5 * * * * *',
  }));

  afterAll(async () => {
    await sim?.close();
  });

  it('a cron scan starts after the exchange passed the tick (offset + settle margin), and readiness and /metrics show the offset', async () => {
    // The first scan measures the clock; the ones after it wait for the exchange's boundary.
    const runs = await eventually(
      async () => {
        const rows = (await app.db.query(
          `SELECT tick, started_at FROM scan_runs WHERE trigger = 'cron' AND status <> 'skipped' ORDER BY id`,
        )) as { tick: Date; started_at: Date }[];
        return rows.length >= 3 && rows;
      },
      40_000,
      'three cron scans',
    );
    // The exchange's clock as the simulator keeps it: BEHIND_MS plus the moment its virtual clock started late.
    const behind = Date.now() - sim.market.now();
    expect(behind).toBeGreaterThanOrEqual(BEHIND_MS);
    for (const run of runs.slice(1)) {
      const late = run.started_at.getTime() - run.tick.getTime();
      expect(late).toBeGreaterThanOrEqual(behind + 250 - 50);
      expect(late).toBeLessThan(behind + 2_500);
    }

    const ready = (await (await fetch(`${app.url}/api/health/ready`)).json()) as HealthReport;
    const clock = ready.details.exchange.clock as { offsetMs: number; roundTripMs: number };
    expect(Math.abs(clock.offsetMs + behind)).toBeLessThan(100);
    const metrics = await (await fetch(`${app.url}/metrics`)).text();
    const gauge = /^scanner_exchange_clock_offset_seconds (-?[\d.e-]+)$/m.exec(metrics);
    expect(gauge).not.toBeNull();
    expect(Math.abs(Number(gauge![1]) + behind / 1000)).toBeLessThan(0.1);
  }, 300_000);
});
