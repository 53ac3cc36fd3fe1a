import type { Candle } from '../candles/candle.types';
import { INDICATOR_SNAPSHOT_KEYS } from '../indicators/indicator-values.types';
import { resolveEngineConfig } from '../scoring/validate-engine-config';
import { loadTalibFixtures } from '../testing/talib-fixtures';
import { runBacktest } from './run-backtest';
import { packSignals, unpackSignals } from './transfer';

const candles: Candle[] = loadTalibFixtures().find(
  (f) => f.interval === '5m' && f.symbol === 'BTCUSDT',
)!.candles;

describe('transfer of indicator snapshots', () => {
  it('packs every field of INDICATOR_SNAPSHOT_KEYS and gives each back in its own place, in the list’s order', () => {
    const { signals } = runBacktest({ BTCUSDT: candles });
    // Signals past the warm-up carry every value, each different: a field read from another's place shows.
    const full = signals.filter((s) => {
      const values = INDICATOR_SNAPSHOT_KEYS.map((key) => s.indicators[key]);
      return values.every((v) => v !== null) && new Set(values).size === values.length;
    });
    expect(full.length).toBeGreaterThan(0);
    const packed = packSignals(signals, 'BTCUSDT', '5m');
    expect(packed.data.length / signals.length).toBe(33 + INDICATOR_SNAPSHOT_KEYS.length);
    const back = unpackSignals(packed, resolveEngineConfig({}));
    for (const [i, signal] of signals.entries()) {
      expect(Object.keys(back[i].indicators)).toEqual([...INDICATOR_SNAPSHOT_KEYS]);
      expect(back[i].indicators).toEqual(signal.indicators);
    }
  });
});
