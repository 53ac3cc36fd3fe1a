import { DEFAULT_ENGINE_CONFIG, packSignals, runBacktest } from '@scanner/signal-core';
import { loadTalibFixtures } from '../../../../libs/signal-core/src/testing/talib-fixtures';
import {
  addSeries,
  chunkSeries,
  emptyShardSide,
  mergeShards,
  packedFromJson,
  packedToJson,
  planShards,
} from './replay-shards';

const BTC = loadTalibFixtures().find((f) => f.name === 'BTCUSDT-5m')!.candles;

describe('replay shards', () => {
  it('plans every series in replay order (timeframes, then symbols), in shards of the given size', () => {
    const shards = planShards({ symbols: ['CCCUSDT', 'AAAUSDT', 'BBBUSDT'], timeframes: ['1h', '15m'] }, 4);
    expect(shards).toEqual([
      [
        { symbol: 'AAAUSDT', timeframe: '15m' },
        { symbol: 'BBBUSDT', timeframe: '15m' },
        { symbol: 'CCCUSDT', timeframe: '15m' },
        { symbol: 'AAAUSDT', timeframe: '1h' },
      ],
      [
        { symbol: 'BBBUSDT', timeframe: '1h' },
        { symbol: 'CCCUSDT', timeframe: '1h' },
      ],
    ]);
  });

  it('chunks a shard by timeframe, at most `size` series each', () => {
    const [shard] = planShards({ symbols: ['AAAUSDT', 'BBBUSDT', 'CCCUSDT'], timeframes: ['15m', '1h'] }, 6);
    expect(chunkSeries(shard, 2).map((chunk) => chunk.map((s) => `${s.symbol}|${s.timeframe}`))).toEqual([
      ['AAAUSDT|15m', 'BBBUSDT|15m'],
      ['CCCUSDT|15m'],
      ['AAAUSDT|1h', 'BBBUSDT|1h'],
      ['CCCUSDT|1h'],
    ]);
  });

  it('stores packed signals as JSON and reads them back exactly', () => {
    const { signals } = runBacktest({ BTCUSDT: BTC }, DEFAULT_ENGINE_CONFIG, { timeframe: '5m' });
    expect(signals.length).toBeGreaterThan(10);
    const packed = packSignals(signals, 'BTCUSDT', '5m');
    const back = packedFromJson(JSON.parse(JSON.stringify(packedToJson(packed))));
    expect(back).toEqual(packed);
  });

  it('merges shard parts in shard order with the live counts summed', () => {
    const { signals } = runBacktest({ BTCUSDT: BTC }, DEFAULT_ENGINE_CONFIG, { timeframe: '5m' });
    const part = (from: number, to: number, stored: number, matching: number) => {
      const a = { ...emptyShardSide(), stored, matching };
      addSeries(a, { symbol: 'BTCUSDT', timeframe: '5m' }, signals.slice(from, to));
      addSeries(a, { symbol: 'ETHUSDT', timeframe: '5m' }, []);
      return JSON.parse(JSON.stringify({ a, b: emptyShardSide() }));
    };
    const merged = mergeShards([part(0, 5, 2, 2), part(5, signals.length, 3, 1)], {
      a: DEFAULT_ENGINE_CONFIG,
      b: DEFAULT_ENGINE_CONFIG,
    });
    expect(merged.a.stored).toBe(5);
    expect(merged.a.matching).toBe(3);
    expect(JSON.stringify(merged.a.signals)).toBe(JSON.stringify(signals));
    expect(merged.b).toEqual({ signals: [], stored: 0, matching: 0 });
  });
});
