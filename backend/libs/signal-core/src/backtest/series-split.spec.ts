import type { Candle } from '../candles/candle.types';
import { SignalEngine } from '../lifecycle/signal-engine';
import { resolveEngineConfig } from '../scoring/validate-engine-config';
import { loadTalibFixtures } from '../testing/talib-fixtures';
import { runBacktest } from './run-backtest';
import { mergeSeriesOutcomes, partitionSeries, runSeries } from './series-split';
import { packCandles, packSignals, unpackCandles, unpackSignals } from './transfer';

const fiveMinute: Record<string, Candle[]> = Object.fromEntries(
  loadTalibFixtures()
    .filter((f) => f.interval === '5m')
    .map((f) => [f.symbol, f.candles]),
);

describe('a backtest split by series', () => {
  it('partitions symbols into balanced, sorted shares, deterministically', () => {
    const sizes = { A: 10, B: 40, C: 30, D: 20, E: 0 };
    const candles = Object.fromEntries(
      Object.entries(sizes).map(([s, n]) => [s, Array.from({ length: n }) as Candle[]]),
    );
    // B(40) → 0, C(30) → 1, D(20) → 1, A(10) → 0, E(0) → 0: loads 50 / 50.
    expect(partitionSeries(candles, 2)).toEqual([
      ['A', 'B', 'E'],
      ['C', 'D'],
    ]);
    expect(partitionSeries(candles, 1)).toEqual([['A', 'B', 'C', 'D', 'E']]);
    expect(partitionSeries(candles, 9)).toHaveLength(5);
    expect(() => partitionSeries(candles, 0)).toThrow('parts must be an integer >= 1, got 0');
  });

  it('merges per-series outcomes, in any order and from any split, into exactly runBacktest’s result', () => {
    const config = resolveEngineConfig({ feeBps: 7, slippageBps: 2 });
    const whole = runBacktest(fiveMinute, config);
    expect(whole.signals.length).toBeGreaterThan(0);
    for (const parts of [1, 2, 3]) {
      const outcomes = partitionSeries(fiveMinute, parts).flatMap((share) =>
        runSeries(Object.fromEntries(share.map((s) => [s, fiveMinute[s]])), config),
      );
      const merged = mergeSeriesOutcomes([...outcomes].reverse(), config);
      expect(merged).toEqual(whole);
      expect(JSON.stringify(merged)).toBe(JSON.stringify(whole));
    }
  });

  it('refuses a symbol replayed twice', () => {
    const outcomes = runSeries({ BTCUSDT: fiveMinute.BTCUSDT });
    expect(() => mergeSeriesOutcomes([...outcomes, ...outcomes])).toThrow('BTCUSDT was replayed twice');
  });
});

describe('transfer packing', () => {
  it('gives back equal candles, with or without quote volume; mixed series stay objects', () => {
    const candles = fiveMinute.BTCUSDT.slice(0, 50);
    expect(unpackCandles(packCandles(candles)!)).toEqual(candles);
    const withQv = candles.map((c, i) => ({ ...c, quoteVolume: i * 1.5 }));
    expect(unpackCandles(packCandles(withQv)!)).toEqual(withQv);
    expect(packCandles([withQv[0], candles[1]])).toBeNull();
  });

  it('gives back equal signals without formatting their breakdowns, and formats them the same on read', () => {
    const { signals } = runBacktest({ TRXUSDT: fiveMinute.TRXUSDT });
    expect(signals.length).toBeGreaterThan(2);
    // One signal's breakdown already formatted before packing; one active signal with a close reason.
    void signals[0].conditions;
    const engine = new SignalEngine({ symbol: 'TRXUSDT', timeframe: '5m' });
    let cancelled = null;
    for (const c of fiveMinute.TRXUSDT) {
      engine.onClosedCandle(c);
      const active = engine.activeSignal;
      if (active !== null) {
        const [event] = engine.cancelActive(c.close, c.closeTime, 'delisted');
        cancelled = event.type === 'closed' ? event.signal : null;
        break;
      }
    }
    const all = [...signals, cancelled!];
    const back = unpackSignals(packSignals(all, 'TRXUSDT', '5m'), resolveEngineConfig({}));
    expect(back).toEqual(all);
    expect(back[back.length - 1].closeReason).toBe('delisted');
    expect(JSON.stringify(back)).toBe(JSON.stringify(all));
    expect(() => packSignals(all, 'BTCUSDT', '5m')).toThrow('is not of BTCUSDT 5m');
  });
});
