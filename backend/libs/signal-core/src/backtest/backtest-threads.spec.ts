import type { Candle } from '../candles/candle.types';
import { resolveEngineConfig } from '../scoring/validate-engine-config';
import { loadTalibFixtures } from '../testing/talib-fixtures';
import { BacktestThreadPool, runBacktestThreads } from '../../node/backtest-threads';
import { runBacktest } from './run-backtest';

const fiveMinute: Record<string, Candle[]> = Object.fromEntries(
  loadTalibFixtures()
    .filter((f) => f.interval === '5m')
    .map((f) => [f.symbol, f.candles]),
);

describe('runBacktestThreads (worker threads)', () => {
  jest.setTimeout(60_000);

  it('gives exactly the single-thread result on 2 and 3 threads, fine candles included', async () => {
    const config = resolveEngineConfig({ minConfidence: 75 });
    // "Finer" candles for one symbol: its own candles stand in, enough to exercise the option.
    const options = { timeframe: '5m', fineCandles: { BTCUSDT: fiveMinute.BTCUSDT } };
    const single = runBacktest(fiveMinute, config, options);
    expect(Object.keys(fiveMinute).length).toBeGreaterThan(2);
    for (const threads of [2, 3]) {
      const threaded = await runBacktestThreads(fiveMinute, config, { ...options, threads });
      expect(threaded).toEqual(single);
      expect(JSON.stringify(threaded)).toBe(JSON.stringify(single));
    }
  });

  it('keeps a pool for several runs, and names bad thread counts and failures in a worker', async () => {
    const pool = new BacktestThreadPool(2);
    try {
      const a = await pool.run(fiveMinute);
      const b = await pool.run(fiveMinute, resolveEngineConfig({ feeBps: 0 }));
      expect(a).toEqual(runBacktest(fiveMinute));
      expect(b).toEqual(runBacktest(fiveMinute, resolveEngineConfig({ feeBps: 0 })));
      // Loaded once, replayed with other configurations.
      const c = await pool.replay(resolveEngineConfig({ minConfidence: 85 }));
      expect(c).toEqual(runBacktest(fiveMinute, resolveEngineConfig({ minConfidence: 85 })));
      await expect(pool.run(fiveMinute, undefined, { timeframe: '7m' })).rejects.toThrow(/7m/);
      const replays = [pool.replay(), pool.replay()];
      await expect(replays[1]).rejects.toThrow('busy');
      await replays[0];
    } finally {
      await pool.close();
    }
    await expect(runBacktestThreads(fiveMinute, undefined, { threads: 0 })).rejects.toThrow(
      'threads must be an integer >= 1, got 0',
    );
  });
});
