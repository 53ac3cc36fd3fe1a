import type { SignalStats } from '@scanner/contracts';
import { JobQueue } from '../src/scheduler/job-queue';
import type { JobName } from '../src/scheduler/jobs';
import { SignalEntity } from '../src/signal-engine/entities/signal.entity';
import { startupUniverse, STREAMING_SYMBOLS, streamingMarketSuite } from './support/streaming-market-suite';
import { eventually } from './support/test-env';

/**
 * Issue 15 §2 in stream mode (the default): symbols that leave while their kline streams are up. The
 * streams bring no error for them (a halted or delisted pair just stops trading), so the universe refresh
 * sees the status in exchangeInfo, the streams follow the universe, and the overdue sweep closes their
 * ACTIVE signals as CANCELLED with the reason, at market time.
 */
describe('symbols that leave while streaming: delisted and halted pairs close their signals as CANCELLED', () => {
  const market = streamingMarketSuite();
  const { app } = market;

  let jobs = 0;
  async function runJob(name: Extract<JobName, 'refresh-universe' | 'expire-signals'>): Promise<void> {
    const tick = new Date(Date.now() + jobs++).toISOString();
    expect(
      await app.running.app.get(JobQueue).enqueue(name, { tick }, { jobId: `${name}:test:${tick}` }),
    ).toBe(true);
  }

  const subscribed = (symbol: string) =>
    market.sim.streams.connectionList().some((c) => c.streams.includes(`${symbol.toLowerCase()}@kline_5m`));

  async function activeSignals(): Promise<{ id: string; symbol: string }[]> {
    return (await app.db.query(
      `SELECT DISTINCT ON (symbol) id, symbol FROM signals WHERE status = 'ACTIVE' ORDER BY symbol, id`,
    )) as { id: string; symbol: string }[];
  }

  it('cancels the ACTIVE signals of a delisted and a halted symbol, with the reason, at market time, and drops their streams', async () => {
    const { universe, symbols } = await startupUniverse(app);
    const sim = market.sim;
    expect(symbols).toHaveLength(STREAMING_SYMBOLS);
    await eventually(async () => symbols.every(subscribed), 30_000, 'every symbol streamed');

    // Let the market run (100×) until two symbols hold an ACTIVE signal.
    let active = await activeSignals();
    if (active.length < 2) {
      sim.clock.setSpeed(100);
      sim.clock.resume();
      active = await eventually(
        async () => {
          const found = await activeSignals();
          return found.length >= 2 && found;
        },
        120_000,
        'two symbols with an ACTIVE signal',
      );
    }
    sim.clock.pause();
    const [delisted, halted] = active;
    const leftAt = sim.clock.now() + 60_000;
    sim.faults.set({
      symbolEvents: [
        { symbol: delisted.symbol, at: leftAt, status: 'DELISTED' },
        { symbol: halted.symbol, at: leftAt, status: 'HALT' },
      ],
    });
    sim.clock.set(leftAt + 2 * 60_000);

    // The 15-minute universe refresh sees them in exchangeInfo; the streams follow the universe.
    await runJob('refresh-universe');
    await eventually(
      async () => {
        const members = await universe.symbols();
        return !members.includes(delisted.symbol) && !members.includes(halted.symbol);
      },
      30_000,
      'both symbols out of the universe',
    );
    await eventually(
      async () => !subscribed(delisted.symbol) && !subscribed(halted.symbol),
      30_000,
      'their streams unsubscribed',
    );
    expect(symbols.filter((s) => s !== delisted.symbol && s !== halted.symbol).every(subscribed)).toBe(true);

    // The next sweep (every minute) closes their signals.
    await runJob('expire-signals');
    const repository = app.db.getRepository(SignalEntity);
    const [gone, stopped] = await eventually(
      async () => {
        const rows = await Promise.all([
          repository.findOneByOrFail({ id: delisted.id }),
          repository.findOneByOrFail({ id: halted.id }),
        ]);
        return rows.every((row) => row.status === 'CANCELLED') && rows;
      },
      30_000,
      'both signals CANCELLED',
    );
    expect(gone.closeReason).toBe(`${delisted.symbol} is no longer listed by the exchange (delisted)`);
    expect(stopped.closeReason).toBe(`${halted.symbol} is HALT on the exchange, not TRADING`);
    for (const signal of [gone, stopped]) {
      // Market time (the replayed 2024 exchange's clock), never the host's.
      expect(signal.closedAt!.getTime()).toBeGreaterThanOrEqual(leftAt);
      expect(signal.closedAt!.getTime()).toBeLessThan(leftAt + 60 * 60_000);
      expect(signal.exitPrice).toBeGreaterThan(0);
      expect(signal.outcomeR).not.toBeNull();
      const [event] = (await app.db.query(
        `SELECT type, payload FROM signal_events WHERE signal_id = $1 ORDER BY seq DESC LIMIT 1`,
        [signal.id],
      )) as { type: string; payload: { status: string; closeReason: string } }[];
      expect(event).toMatchObject({
        type: 'deleted',
        payload: { status: 'CANCELLED', closeReason: signal.closeReason },
      });
    }
    const stats = (await (await fetch(`${app.url}/api/signals/stats?origin=all`)).json()) as SignalStats;
    const [{ cancelled }] = (await app.db.query(
      `SELECT count(*)::int AS cancelled FROM signals WHERE status = 'CANCELLED'`,
    )) as { cancelled: number }[];
    expect(cancelled).toBe(2);
    expect(stats.overall.byOutcome.CANCELLED).toBe(2);
  }, 300_000);
});
