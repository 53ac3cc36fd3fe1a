import { runBacktest } from '@scanner/signal-core';
import { EngineConfigService } from '../src/signal-engine/engine-config.service';
import { SignalEntity } from '../src/signal-engine/entities/signal.entity';
import { TEST_STAMP } from '../src/signal-engine/signal-engine.testing';
import { toSignalEntity } from '../src/signal-engine/signal.mapper';
import { storedFiveMinuteCandles } from './support/outcome-rederivation';
import {
  startupUniverse,
  STREAMING_START,
  STREAMING_SYMBOLS,
  streamingMarketSuite,
} from './support/streaming-market-suite';
import { eventually } from './support/test-env';

const FIVE_MIN = 300_000;
const START = STREAMING_START;
const SYMBOLS = STREAMING_SYMBOLS;

describe('market data from streams: a two-hour virtual run against the simulator streams', () => {
  // The market runs (100× real time, a push every 20 ms per stream); faults are set at virtual times.
  const market = streamingMarketSuite();
  const { app } = market;

  async function storedUpTo(openTime: number): Promise<void> {
    await eventually(
      async () => {
        const rows = (await app.db.query(
          `SELECT count(*)::int AS n FROM (SELECT symbol FROM candles WHERE interval = '5m' GROUP BY symbol HAVING max(open_time) = $1) s`,
          [openTime],
        )) as { n: number }[];
        return rows[0].n === SYMBOLS;
      },
      60_000,
      `every series stored up to ${new Date(openTime).toISOString()}`,
    );
  }

  it('stores every closed candle once, in order, through drops and a skipped final, with REST only to fill gaps', async () => {
    const { symbols } = await startupUniverse(app);
    const sim = market.sim;
    let now = START;
    const lastClosed = (at: number) => Math.floor(at / FIVE_MIN) * FIVE_MIN - FIVE_MIN;
    // Streams up → each series warms up from REST (one klines call each).
    await storedUpTo(lastClosed(now));
    const warmupCalls = sim.stats.snapshot().byPath['/api/v3/klines'];
    expect(warmupCalls).toBe(SYMBOLS);

    const skipped = `${symbols[0].toLowerCase()}@kline_5m`;
    const end = START + 2 * 3_600_000;
    sim.faults.set({
      connectionDrops: [{ at: START + 40 * 60_000 + 7_000 }],
      skippedFinals: [{ stream: skipped, openTime: lastClosed(START + 70 * 60_000) }],
    });
    sim.clock.setSpeed(100);
    sim.clock.resume();
    await eventually(async () => sim.clock.now() >= end, 120_000, 'two virtual hours');
    sim.clock.pause();
    now = sim.clock.now();
    await storedUpTo(lastClosed(now));
    expect(sim.streams.stats().disconnects.dropped).toBeGreaterThan(0);

    const stats = sim.stats.snapshot();
    expect(stats.rejected).toBe(0);
    // After the warm-up, REST filled only what the streams could not bring: the series caught up after the
    // dropped connection (at most one call each) and the skipped final (one call).
    const fills = stats.byPath['/api/v3/klines'] - warmupCalls;
    expect(fills).toBeGreaterThanOrEqual(1);
    expect(fills).toBeLessThanOrEqual(SYMBOLS + 1);

    const [{ duplicates }] = (await app.db.query(
      `SELECT count(*)::int AS duplicates FROM (SELECT 1 FROM candles GROUP BY symbol, interval, open_time HAVING count(*) > 1) d`,
    )) as { duplicates: number }[];
    expect(duplicates).toBe(0);
    const candles = await storedFiveMinuteCandles(app.db);
    for (const [symbol, list] of candles) {
      const gaps = list.filter((c, i) => i > 0 && c.openTime !== list[i - 1].openTime + FIVE_MIN);
      expect({ symbol, gaps: gaps.length, last: list.at(-1)?.openTime }).toEqual({
        symbol,
        gaps: 0,
        last: lastClosed(now),
      });
    }
    // What is stored is the closed candle the exchange serves afterwards.
    const served = (await (
      await fetch(`${sim.url}/api/v3/klines?symbol=${symbols[0]}&interval=5m&startTime=${START}&limit=40`)
    ).json()) as unknown[][];
    const mine = candles.get(symbols[0])!.filter((c) => c.openTime >= START);
    expect(mine.map((c) => [c.openTime, c.open, c.high, c.low, c.close, c.volume])).toEqual(
      served
        .filter((row) => (row[0] as number) <= lastClosed(now))
        .map((row) => [
          row[0],
          Number(row[1]),
          Number(row[2]),
          Number(row[3]),
          Number(row[4]),
          Number(row[5]),
        ]),
    );

    // The engine saw the same candles as a backtest would: the same signals were created.
    const config = await app.running.app.get(EngineConfigService).get();
    const backtest = runBacktest(Object.fromEntries(candles), config, { timeframe: '5m' });
    const stored = await app.db.getRepository(SignalEntity).find({ order: { id: 'ASC' } });
    const expected = backtest.signals
      .map((s) => toSignalEntity(s, TEST_STAMP))
      .sort((x, y) => (x.id < y.id ? -1 : 1));
    expect(stored.map((s) => s.id)).toEqual(expected.map((s) => s.id));
    stored.forEach((live, i) => {
      const reference = expected[i];
      const atEntry = (s: SignalEntity) => [
        s.id,
        s.direction,
        s.entryPrice,
        s.stopLoss,
        s.takeProfit,
        s.confidence,
        s.createdAt.getTime(),
      ];
      expect(atEntry(live)).toEqual(atEntry(reference));
    });
  }, 300_000);
});
