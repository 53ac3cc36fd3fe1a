import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';
import {
  CONDITION_KEYS,
  parseBinanceKlines,
  resolveEngineConfig,
  runAblation,
  runBacktest,
  type Candle,
} from '@scanner/signal-core';
import { BacktestThreadPool } from '../../libs/signal-core/node/backtest-threads';
import { ablationOnReplays } from './backtest-ablation';

const BUNDLED = path.resolve(__dirname, '../../exchange-sim/data');

/** A week of 5m candles of three bundled symbols: enough for signals of every kind, quick to replay. */
const series: Record<string, Candle[]> = Object.fromEntries(
  ['BTCUSDT', 'ETHUSDT', 'DOGEUSDT'].map((symbol) => [
    symbol,
    parseBinanceKlines(
      JSON.parse(gunzipSync(readFileSync(path.join(BUNDLED, `${symbol}-5m.json.gz`))).toString('utf8')),
      { symbol, interval: '5m', gaps: 'allow' },
    ).slice(0, 2016),
  ]),
);

describe('ablationOnReplays', () => {
  jest.setTimeout(120_000);

  it('gives runAblation’s table with its re-runs on a thread pool holding the series', async () => {
    // One condition already at 0: its row is the baseline's, with no re-run.
    const base = resolveEngineConfig({ minConfidence: 65 });
    const config = { ...base, weights: { ...base.weights, [CONDITION_KEYS[3]]: 0 } };
    const baseline = runBacktest(series, config, { timeframe: '5m' }).signals;
    expect(baseline.some((s) => s.status !== 'ACTIVE')).toBe(true);
    const expected = runAblation(series, config, { timeframe: '5m' }, baseline);

    const pool = new BacktestThreadPool(2);
    const replayed: number[] = [];
    const started: string[] = [];
    try {
      await pool.load(series);
      const table = await ablationOnReplays(
        async (without) => {
          replayed.push(
            CONDITION_KEYS.findIndex((key) => without.weights[key] === 0 && config.weights[key] !== 0),
          );
          return pool.replay(without, { timeframe: '5m' });
        },
        config,
        baseline,
        (key, i) => started.push(`${i}:${key}`),
      );
      expect(table).toEqual(expected);
      expect(JSON.stringify(table)).toBe(JSON.stringify(expected));
    } finally {
      await pool.close();
    }
    expect(started).toEqual(CONDITION_KEYS.map((key, i) => `${i}:${key}`));
    // Each weighted condition re-run once, with only its own weight taken away.
    expect(replayed).toEqual([0, 1, 2, 4, 5, 6, 7]);
  });
});
