import { ExchangeSim, startExchangeSim } from '@scanner/exchange-sim';
import { JobQueue } from '../src/scheduler/job-queue';
import { appForSuite } from './support/app-suite';
import { describeWithRedis } from './support/redis-suite';
import { eventually } from './support/test-env';

const START = Date.parse('2024-08-05T00:01:00Z');

// In-process jobs run one at a time per queue (a tick waits for the previous scan); on Bull the next
// tick's scan-market can run while the previous scan's batches do.
describeWithRedis('a scan still running when the next tick comes (Bull)', () => {
  let sim: ExchangeSim;

  beforeAll(async () => {
    sim = await startExchangeSim({
      symbols: ['BTCUSDT', 'ETHUSDT'],
      intervals: ['5m'],
      clock: { startTime: START, paused: true },
      log: false,
    });
  });

  const app = appForSuite(() => ({
    BINANCE_REST_URL: sim.url,
    SCAN_SYMBOLS_ALLOW: 'BTCUSDT,ETHUSDT',
    SCAN_TIMEFRAMES: '5m',
    SCAN_CRON: '0 0 0 1 1 *',
  }));

  // Declared after appForSuite, so it runs after the app is closed.
  afterAll(async () => {
    await sim?.close();
  });

  const runs = (): Promise<
    Array<{ tick: Date; status: string; errors: Array<{ error: string }>; signals_changed: number }>
  > =>
    app.db.query(
      `SELECT tick, status, errors, signals_changed FROM scan_runs WHERE tick IS NOT NULL ORDER BY id`,
    );

  it('is skipped and says why; the running one ends ok only after its engine step', async () => {
    const { running, db } = app;
    const jobs = running.app.get(JobQueue);
    sim.faults.set({ latencyMs: 3_000, jitterMs: 0 });
    const first = new Date(START).toISOString();
    await jobs.enqueue('scan-market', { tick: first, trigger: 'test' }, { jobId: `scan-market:${first}` });
    await eventually(
      async () => (await runs()).some((run) => run.status === 'running'),
      20_000,
      'the first scan to run',
    );

    const second = new Date(START + 300_000).toISOString();
    await jobs.enqueue('scan-market', { tick: second, trigger: 'test' }, { jobId: `scan-market:${second}` });
    const skipped = await eventually(
      async () => (await runs()).find((run) => run.tick.toISOString() === second),
      30_000,
      'the second tick',
    );
    expect(skipped.status).toBe('skipped');
    expect(skipped.errors[0].error).toBe('the previous scan is still running');

    sim.faults.reset();
    const done = await eventually(
      async () => {
        const run = (await runs()).find((candidate) => candidate.tick.toISOString() === first);
        return run && run.status !== 'running' ? run : undefined;
      },
      60_000,
      'the first scan to end',
    );
    expect(done.status).toBe('ok');
    // Its engine step ran before the run was closed: the engines exist, warm on the stored candles.
    const states = await db.query(`SELECT symbol FROM engine_states ORDER BY symbol`);
    expect(states.map((row: { symbol: string }) => row.symbol)).toEqual(['BTCUSDT', 'ETHUSDT']);
  });
});
