import type { Candle } from '../candles/candle.types';
import { SignalEngine } from '../lifecycle/signal-engine';
import type { Signal } from '../lifecycle/signal.types';
import { loadTalibFixtures } from '../testing/talib-fixtures';
import { computeOutcomeStats } from './outcome-stats';
import { runBacktest } from './run-backtest';

const fiveMinute: Record<string, Candle[]> = Object.fromEntries(
  loadTalibFixtures().filter((f) => f.interval === '5m').map((f) => [f.symbol, f.candles]),
);

describe('runBacktest', () => {
  it('is deterministic and gives exactly what the live engine gives candle by candle', () => {
    const a = runBacktest(fiveMinute);
    const b = runBacktest(fiveMinute);
    expect(a).toEqual(b);
    const manual: Signal[] = [];
    for (const symbol of Object.keys(fiveMinute).sort()) {
      const engine = new SignalEngine({ symbol, timeframe: '5m' });
      const byId = new Map<string, Signal>();
      for (const c of fiveMinute[symbol]) {
        for (const e of engine.onClosedCandle(c)) if (e.type !== 'gap') byId.set(e.signal.id, e.signal);
      }
      manual.push(...byId.values());
    }
    expect(a.signals).toEqual(manual);
    expect(a.signals.length).toBeGreaterThan(0);
    expect(a.report.candles).toBe(Object.values(fiveMinute).reduce((n, c) => n + c.length, 0));
  });

  it('reports outcomes overall and per symbol, win rate = TP / (TP + SL)', () => {
    const { report, signals } = runBacktest(fiveMinute);
    const { TP_HIT, SL_HIT, INVALIDATED, EXPIRED } = report.byOutcome;
    expect(TP_HIT + SL_HIT + INVALIDATED + EXPIRED).toBe(report.closed);
    expect(report.closed + report.open).toBe(signals.length);
    if (TP_HIT + SL_HIT > 0) expect(report.winRate).toBeCloseTo(TP_HIT / (TP_HIT + SL_HIT), 12);
    expect(Object.keys(report.perSymbol).sort()).toEqual(Object.keys(fiveMinute).sort());
    const perSymbolClosed = Object.values(report.perSymbol).reduce((n, s) => n + s.closed, 0);
    expect(perSymbolClosed).toBe(report.closed);
    for (const s of signals.filter((x) => x.status !== 'ACTIVE')) {
      expect(s.outcomeR).not.toBeNull();
      expect(s.closedAt!).toBeGreaterThanOrEqual(s.createdAt);
    }
  });

  it('derives the timeframe from the candles when not given', () => {
    const { signals } = runBacktest({ BTCUSDT: fiveMinute.BTCUSDT });
    for (const s of signals) expect(s.timeframe).toBe('5m');
  });
});

describe('computeOutcomeStats', () => {
  const sig = (status: Signal['status'], outcomeR: number | null, closedAt: number) =>
    ({ id: `s${closedAt}`, status, outcomeR, closedAt }) as unknown as Signal;

  it('computes win rate, average R, expectancy, profit factor and max drawdown in R', () => {
    const stats = computeOutcomeStats([
      sig('TP_HIT', 2.5 / 1.5, 1), sig('SL_HIT', -1, 2), sig('SL_HIT', -1, 3), sig('EXPIRED', 0.5, 4),
      sig('TP_HIT', 2.5 / 1.5, 5), sig('INVALIDATED', -0.25, 6), sig('ACTIVE', null, 0),
    ]);
    expect(stats.closed).toBe(6);
    expect(stats.open).toBe(1);
    expect(stats.byOutcome).toEqual({ TP_HIT: 2, SL_HIT: 2, INVALIDATED: 1, EXPIRED: 1 });
    expect(stats.winRate).toBe(0.5);
    expect(stats.expectancy).toBeCloseTo(0.5 * (2.5 / 1.5) - 0.5, 12);
    expect(stats.averageR).toBeCloseTo((2 * (2.5 / 1.5) - 2 + 0.5 - 0.25) / 6, 12);
    expect(stats.profitFactor).toBeCloseTo((2 * (2.5 / 1.5) + 0.5) / 2.25, 12);
    expect(stats.maxDrawdownR).toBeCloseTo(2, 12);
  });

  it('has nulls rather than NaN or Infinity when there is nothing to divide', () => {
    expect(computeOutcomeStats([])).toMatchObject({ closed: 0, winRate: null, averageR: null, expectancy: null, profitFactor: null, maxDrawdownR: 0 });
    expect(computeOutcomeStats([sig('TP_HIT', 1, 1)]).profitFactor).toBeNull();
  });
});
