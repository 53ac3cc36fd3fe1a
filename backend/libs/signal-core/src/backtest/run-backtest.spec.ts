import type { Candle } from '../candles/candle.types';
import { SignalEngine } from '../lifecycle/signal-engine';
import type { Signal } from '../lifecycle/signal.types';
import { CONDITION_KEYS } from '../scoring/condition-key';
import { DEFAULT_ENGINE_CONFIG } from '../scoring/engine-config';
import { computeSignalStats } from '../stats/signal-stats';
import { candleAt, trendCandles } from '../testing/synthetic-candles';
import { loadTalibFixtures } from '../testing/talib-fixtures';
import { runAblation } from './ablation';
import { fineCandleSource } from './fine-candle-source';
import { runBacktest } from './run-backtest';

const fiveMinute: Record<string, Candle[]> = Object.fromEntries(
  loadTalibFixtures()
    .filter((f) => f.interval === '5m')
    .map((f) => [f.symbol, f.candles]),
);

/** What the live engine gives, candle by candle, symbols sorted: the final state of every signal. */
function liveSignals(bySymbol: Record<string, readonly Candle[]>): Signal[] {
  const out: Signal[] = [];
  for (const symbol of Object.keys(bySymbol).sort()) {
    const engine = new SignalEngine({ symbol, timeframe: '5m' });
    const byId = new Map<string, Signal>();
    for (const c of bySymbol[symbol])
      for (const e of engine.onClosedCandle(c)) if (e.type !== 'gap') byId.set(e.signal.id, e.signal);
    out.push(...byId.values());
  }
  return out;
}

describe('runBacktest', () => {
  it('is deterministic and gives exactly what the live engine gives candle by candle', () => {
    const a = runBacktest(fiveMinute);
    expect(a).toEqual(runBacktest(fiveMinute));
    expect(a.signals).toEqual(liveSignals(fiveMinute));
    expect(a.signals.length).toBeGreaterThan(0);
    expect(a.report.candles).toBe(Object.values(fiveMinute).reduce((n, c) => n + c.length, 0));
  });

  it('reports expectancy as the mean net R of every close, with the one statistics implementation', () => {
    const { report, signals } = runBacktest(fiveMinute);
    const closed = signals.filter((s) => s.status !== 'ACTIVE');
    expect(report.closed).toBe(closed.length);
    expect(report.closed + report.open).toBe(signals.length);
    expect(report.expectancyR).toBeCloseTo(closed.reduce((sum, s) => sum + s.netR!, 0) / closed.length, 12);
    expect(report.expectancyGrossR).toBeCloseTo(
      closed.reduce((sum, s) => sum + s.outcomeR!, 0) / closed.length,
      12,
    );
    expect(report.expectancyR!).toBeLessThan(report.expectancyGrossR!); // costs are counted
    const { candles: _c, gaps: _g, resolutions: _r, perSymbol, ...overall } = report;
    expect(overall).toEqual(computeSignalStats(signals));
    expect(Object.keys(perSymbol).sort()).toEqual(Object.keys(fiveMinute).sort());
    expect(Object.values(perSymbol).reduce((n, s) => n + s.closed, 0)).toBe(report.closed);
    for (const s of closed) expect(s.closedAt!).toBeGreaterThanOrEqual(s.createdAt);
  });

  it('derives the timeframe from the candles when not given', () => {
    const { signals } = runBacktest({ BTCUSDT: fiveMinute.BTCUSDT });
    for (const s of signals) expect(s.timeframe).toBe('5m');
  });

  it('treats holes in the data as live does: same signals as the engine, and a life ending in a hole expires at the next open', () => {
    const full = runBacktest({ BTCUSDT: fiveMinute.BTCUSDT });
    const expired = full.signals.find((s) => s.status === 'EXPIRED' && s.durationCandles === 12)!;
    expect(expired).toBeDefined();
    // Cut the candles from 6 slots after its trigger to 3 slots past its expiry candle.
    const from = expired.candleOpenTime + 6 * 300_000;
    const to = expired.candleOpenTime + 15 * 300_000;
    const holed = { BTCUSDT: fiveMinute.BTCUSDT.filter((c) => c.openTime < from || c.openTime > to) };
    const result = runBacktest(holed);
    expect(result.signals).toEqual(liveSignals(holed));
    expect(result.report.gaps).toBe(1);
    expect(result.gaps[0]).toMatchObject({
      expectedOpenTime: from,
      receivedOpenTime: to + 300_000,
      missingCandles: 10,
    });
    const firstAfter = holed.BTCUSDT.find((c) => c.openTime > to)!;
    expect(result.signals.find((s) => s.id === expired.id)).toMatchObject({
      status: 'EXPIRED',
      exitPrice: firstAfter.open,
      closedAt: firstAfter.openTime,
    });
  });

  it('decides a candle touching both levels with the finer candles it is given, and counts the resolutions', () => {
    const trend = trendCandles(200);
    const probe = runBacktest({ TESTUSDT: trend });
    const s = probe.signals[0];
    const both = candleAt(200, s.entryPrice, s.takeProfit + 1, s.stopLoss - 1, s.entryPrice);
    const minute = (i: number, o: number, h: number, l: number, c: number) => ({
      openTime: both.openTime + i * 60_000,
      closeTime: both.openTime + i * 60_000 + 59_999,
      open: o,
      high: h,
      low: l,
      close: c,
      volume: 1,
    });
    const ones = [
      minute(0, s.entryPrice, s.takeProfit, s.entryPrice - 0.1, s.takeProfit),
      minute(1, s.takeProfit, s.takeProfit, s.stopLoss - 1, s.stopLoss),
    ];
    const coarse = runBacktest({ TESTUSDT: [...trend, both] });
    expect(coarse.signals[0]).toMatchObject({ status: 'SL_HIT', resolution: 'conservative' });
    expect(coarse.report.resolutions).toEqual({ fine: 0, conservative: 1 });
    const fine = runBacktest({ TESTUSDT: [...trend, both] }, DEFAULT_ENGINE_CONFIG, {
      fineCandles: { TESTUSDT: ones },
    });
    expect(fine.signals[0]).toMatchObject({ status: 'TP_HIT', exitPrice: s.takeProfit, resolution: 'fine' });
    expect(fine.report.resolutions).toEqual({ fine: 1, conservative: 0 });
  });
});

describe('fineCandleSource', () => {
  const m = (t: number): Candle => ({
    openTime: t * 60_000,
    closeTime: t * 60_000 + 59_999,
    open: 1,
    high: 1,
    low: 1,
    close: 1,
    volume: 1,
  });
  const source = fineCandleSource({ X: [m(0), m(1), m(5), m(6), m(9), m(10)] });

  it('returns the candles opening inside the span, or null', () => {
    expect(
      source({ symbol: 'X', timeframe: '5m', openTime: 300_000, closeTime: 599_999 })!.map(
        (c) => c.openTime / 60_000,
      ),
    ).toEqual([5, 6, 9]);
    expect(source({ symbol: 'X', timeframe: '5m', openTime: 900_000, closeTime: 1_199_999 })).toBeNull();
    expect(source({ symbol: 'Y', timeframe: '5m', openTime: 0, closeTime: 299_999 })).toBeNull();
  });
});

describe('runAblation', () => {
  const data = { BTCUSDT: fiveMinute.BTCUSDT, ELFUSDT: fiveMinute.ELFUSDT };

  it('splits the closes by each condition at creation and re-runs with its weight at 0', () => {
    const baseline = runBacktest(data);
    const table = runAblation(data, DEFAULT_ENGINE_CONFIG, {}, baseline.signals);
    expect(table.map((row) => row.key)).toEqual([...CONDITION_KEYS]);
    for (const [i, row] of table.entries()) {
      expect(row.held.count + row.notHeld.count).toBe(baseline.report.closed);
      const held = baseline.signals.filter(
        (s) => s.status !== 'ACTIVE' && (s.initialConditionMask & (1 << i)) !== 0,
      );
      expect(row.held.hitRate.successes).toBe(held.filter((s) => s.status === 'TP_HIT').length);
      if (held.length > 0)
        expect(row.held.meanNetR).toBeCloseTo(held.reduce((a, s) => a + s.netR!, 0) / held.length, 12);
    }
    const key = 'macd_cross';
    const rerun = runBacktest(data, {
      ...DEFAULT_ENGINE_CONFIG,
      weights: { ...DEFAULT_ENGINE_CONFIG.weights, [key]: 0 },
    }).report;
    const row = table.find((r) => r.key === key)!;
    expect(row.withoutIt).toEqual({
      closed: rerun.closed,
      expectancyR: rerun.expectancyR,
      deltaClosed: rerun.closed - baseline.report.closed,
      deltaExpectancyR: rerun.expectancyR! - baseline.report.expectancyR!,
    });
    // Taking away 20 points of a 70-point threshold must change which signals exist.
    expect(row.withoutIt.deltaClosed).not.toBe(0);
  });

  it('runs the baseline itself when not given one, and reports no change for a condition already at weight 0', () => {
    const config = {
      ...DEFAULT_ENGINE_CONFIG,
      weights: { ...DEFAULT_ENGINE_CONFIG.weights, bb_position: 0, trend_ema200: 15 },
    };
    const seen: string[] = [];
    const table = runAblation({ BTCUSDT: fiveMinute.BTCUSDT }, config, {}, undefined, (key) =>
      seen.push(key),
    );
    expect(seen).toEqual([...CONDITION_KEYS]);
    expect(table.find((r) => r.key === 'bb_position')!.withoutIt).toMatchObject({
      deltaClosed: 0,
      deltaExpectancyR: 0,
    });
  });
});
