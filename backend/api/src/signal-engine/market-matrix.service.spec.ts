import { DEFAULT_ENGINE_CONFIG, IndicatorSet, resolveEngineConfig, scoreCandle } from '@scanner/signal-core';
import { emptyCell, layout, matrixCell, sameCell, type MatrixStateRow } from './market-matrix.service';

const HOUR = 3_600_000;
const OPEN = Date.UTC(2024, 7, 5, 10, 0);

/** The indicator state after `count` candles zig-zagging up (+1) or down (−1). */
function trendSet(direction: 1 | -1, count = 260): IndicatorSet {
  const set = new IndicatorSet();
  let price = 1000;
  for (let i = 0; i < count; i++) {
    const close = price + direction * (i % 2 === 0 ? 2 : -1.2);
    set.add({ open: price, high: Math.max(price, close) + 0.3, low: Math.min(price, close) - 0.3, close });
    price = close;
  }
  return set;
}

function row(
  symbol: string,
  timeframe: string,
  set: IndicatorSet | null,
  active: 'LONG' | 'SHORT' | null = null,
): MatrixStateRow {
  return {
    symbol,
    timeframe,
    revision: 3,
    lastOpenTime: set === null ? null : OPEN,
    indicators: set === null ? null : set.getState(),
    active,
    updatedAt: new Date(0),
  };
}

describe('market matrix cells', () => {
  it('scores both directions of the last closed candle like the engine, with trend side, RSI, close and its close time', () => {
    const set = trendSet(1);
    const cell = matrixCell(row('BTCUSDT', '1h', set, 'LONG'), DEFAULT_ENGINE_CONFIG);
    const score = scoreCandle(set, DEFAULT_ENGINE_CONFIG);
    expect(cell).toEqual({
      symbol: 'BTCUSDT',
      timeframe: '1h',
      long: score.long.confidence,
      short: score.short.confidence,
      active: 'LONG',
      trend: 'above',
      rsi: Math.round((set.rsi as number) * 100) / 100,
      close: set.close,
      asOf: new Date(OPEN + HOUR - 1).toISOString(),
    });
    expect(cell.long).toBeGreaterThan(cell.short!);
    expect(matrixCell(row('BTCUSDT', '1h', trendSet(-1)), DEFAULT_ENGINE_CONFIG).trend).toBe('below');
  });

  it('uses the engine config in force (weights change the confidences)', () => {
    const set = trendSet(1);
    const heavyTrend = resolveEngineConfig({
      weights: {
        macd_cross: 0,
        rsi_zone: 0,
        trend_ema50: 50,
        ema_stack: 0,
        adx_trend: 0,
        heikin_ashi: 0,
        trend_ema200: 50,
        bb_position: 0,
      },
    });
    const cell = matrixCell(row('BTCUSDT', '1h', set), heavyTrend);
    expect(cell.long).toBe(100);
    expect(cell.short).toBe(0);
  });

  it('a series without an evaluated candle (or not warm) has nulls, never zeros', () => {
    expect(matrixCell(row('ETHUSDT', '5m', null), DEFAULT_ENGINE_CONFIG)).toEqual(emptyCell('ETHUSDT', '5m'));
    const young = matrixCell(row('ETHUSDT', '5m', trendSet(1, 30)), DEFAULT_ENGINE_CONFIG);
    expect(young.trend).toBeNull();
    expect(young.rsi).not.toBeNull();
  });

  it('lays out every symbol × timeframe symbol-major, empty where nothing is stored', () => {
    const cells = layout(['A', 'B'], ['5m', '1h'], [row('B', '1h', trendSet(1))], DEFAULT_ENGINE_CONFIG);
    expect(cells.map((c) => `${c.symbol} ${c.timeframe}`)).toEqual(['A 5m', 'A 1h', 'B 5m', 'B 1h']);
    expect(cells.map((c) => c.long === null)).toEqual([true, true, true, false]);
  });

  it('sameCell compares what a cell shows', () => {
    const cell = matrixCell(row('BTCUSDT', '1h', trendSet(1)), DEFAULT_ENGINE_CONFIG);
    expect(sameCell(cell, { ...cell })).toBe(true);
    expect(sameCell(cell, { ...cell, rsi: (cell.rsi ?? 0) + 0.01 })).toBe(false);
    expect(sameCell(cell, { ...cell, active: 'SHORT' })).toBe(false);
  });
});
