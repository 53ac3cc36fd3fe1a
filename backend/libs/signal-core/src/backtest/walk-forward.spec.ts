import type { Candle } from '../candles/candle.types';
import { resolveEngineConfig } from '../scoring/validate-engine-config';
import { computeCalibration } from '../stats/calibration';
import { computeSignalStats } from '../stats/signal-stats';
import { loadTalibFixtures } from '../testing/talib-fixtures';
import { runBacktest } from './run-backtest';
import {
  candleRange,
  parseWalkForwardSpec,
  runWalkForward,
  walkForward,
  walkForwardWindows,
  type WalkForwardSignal,
  type WalkForwardSpec,
} from './walk-forward';

const M5 = 300_000;

/** A closed (or, with closedAt null, active) signal created at `createdAt`. */
function sig(
  id: string,
  createdAt: number,
  closedAt: number | null,
  netR: number,
  initialConfidence = 75,
  status: WalkForwardSignal['status'] = netR > 0 ? 'TP_HIT' : 'SL_HIT',
): WalkForwardSignal {
  return closedAt === null
    ? { id, status: 'ACTIVE', createdAt, closedAt: null, grossR: null, netR: null, initialConfidence }
    : { id, status, createdAt, closedAt, grossR: netR, netR, initialConfidence };
}

const spec = (is: number, oos: number, gap = 0, step = oos): WalkForwardSpec => ({
  inSampleMs: is,
  outOfSampleMs: oos,
  gapMs: gap,
  stepMs: step,
});

describe('parseWalkForwardSpec', () => {
  it('reads lengths in candles of the timeframe or in m/h/d/w; gap defaults to 0 and step to oos', () => {
    expect(parseWalkForwardSpec('is=2000,oos=500c,gap=12', '5m')).toEqual({
      inSampleMs: 2000 * M5,
      outOfSampleMs: 500 * M5,
      gapMs: 12 * M5,
      stepMs: 500 * M5,
    });
    expect(parseWalkForwardSpec(' is=7d, oos=2d ,gap=1h,step=3d', '5m')).toEqual({
      inSampleMs: 7 * 86_400_000,
      outOfSampleMs: 2 * 86_400_000,
      gapMs: 3_600_000,
      stepMs: 3 * 86_400_000,
    });
    expect(parseWalkForwardSpec('is=2w,oos=90m', '15m').outOfSampleMs).toBe(90 * 60_000);
  });

  it.each([
    ['is=7d', /both is=<length> and oos=<length> are required/],
    ['is=7d,oos=2x', /"oos=2x" is not key=length/],
    ['is=7d,oos=-2d', /"oos=-2d" is not key=length/],
    ['is=7d,oos=2d,span=3d', /"span" is not one of is, oos, gap, step/],
    ['is=7d,oos=2d,is=3d', /"is" is given twice/],
    ['is=7d,oos=2d,step=1d', /step \(288 candles\) must be at least the out-of-sample length \(576\)/],
    ['is=0,oos=2d', /must each hold at least one candle/],
  ])('rejects %j naming the problem', (text, message) => {
    expect(() => parseWalkForwardSpec(text, '5m')).toThrow(message);
  });
});

describe('walkForwardWindows', () => {
  it('lays whole windows from the start, moving by step, none past the end', () => {
    const windows = walkForwardWindows(0, 100, spec(30, 10, 5, 10));
    expect(
      windows.map((w) => [w.inSample.from, w.inSample.to, w.outOfSample.from, w.outOfSample.to]),
    ).toEqual([
      [0, 30, 35, 45],
      [10, 40, 45, 55],
      [20, 50, 55, 65],
      [30, 60, 65, 75],
      [40, 70, 75, 85],
      [50, 80, 85, 95],
    ]);
    expect(walkForwardWindows(0, 44, spec(30, 10, 5))).toEqual([]);
  });
});

describe('walkForward', () => {
  it('chooses on in-sample expectancy and reports only the chosen candidate’s out-of-sample figures', () => {
    // One window: in-sample [0, 100), out-of-sample [110, 150) after a gap of 10.
    const a = [
      sig('a1', 10, 20, 1),
      sig('a2', 30, 40, -1),
      sig('a3', 50, 60, 2), // a: mean +0.667 in sample
      sig('a4', 115, 120, -1),
      sig('a5', 140, 400, -1), // created out of sample, closes long after: still counted
    ];
    const b = [
      sig('b1', 10, 20, 2),
      sig('b2', 30, 40, 2),
      sig('b3', 50, 60, -1), // b: mean +1 in sample
      sig('b4', 105, 108, 5), // created in the gap: never counted
      sig('b5', 112, 130, 1),
      sig('b6', 120, null, 0), // still active at the end
      sig('b7', 150, 160, 3), // after the window
    ];
    const report = walkForward([a, b], { from: 0, to: 150 }, spec(100, 40, 10, 40), { minInSampleCloses: 3 });
    expect(report.windows).toHaveLength(1);
    const w = report.windows[0];
    expect(w.chosen).toBe(1);
    expect(w.chosenBy).toBe('in-sample expectancy');
    expect(w.inSampleCloses).toBe(3);
    expect(w.stats).toEqual(computeSignalStats([b[4], b[5]]));
    expect(w.stats.closed).toBe(1);
    expect(w.stats.open).toBe(1);
    expect(w.calibration).toEqual(computeCalibration([b[4], b[5]]));
    expect(report.outOfSample.stats).toEqual(w.stats);
    expect(report.outOfSample.chosenCount).toEqual([0, 1]);
    expect(report.candidates).toBe(2);
  });

  it('never uses an outcome not known by the end of the in-sample window', () => {
    // a's big winner is created in sample but closes after it ends: without it a loses to b.
    const a = [sig('a1', 10, 20, 1), sig('a2', 30, 40, 1), sig('a3', 90, 120, 50)];
    const b = [sig('b1', 10, 20, 1), sig('b2', 30, 40, 2)];
    const report = walkForward([a, b], { from: 0, to: 150 }, spec(100, 40, 10), { minInSampleCloses: 2 });
    expect(report.windows[0].chosen).toBe(1);
  });

  it('falls back to candidate 0 when no candidate has enough in-sample closes, and does not choose with one candidate', () => {
    const a = [sig('a1', 10, 20, -1), sig('a2', 120, 125, 1)];
    const b = [sig('b1', 10, 20, 3)];
    const two = walkForward([a, b], { from: 0, to: 150 }, spec(100, 40, 10));
    expect(two.windows[0].chosen).toBe(0);
    expect(two.windows[0].chosenBy).toBe('fallback: no candidate had enough in-sample closes');
    expect(two.outOfSample.stats.closed).toBe(1);
    const one = walkForward([a], { from: 0, to: 150 }, spec(100, 40, 10));
    expect(one.windows[0].chosenBy).toBe('only candidate');
  });

  it('fits pTarget in sample and scores it out of sample beside confidence/100 (hand-computed Brier scores)', () => {
    // In sample: confidence 70 → SL, SL; 80 → TP, SL; 90 → TP, TP. Isotonic fit: 0, 0.5, 1.
    const inSample = [
      sig('i1', 1, 2, -1, 70),
      sig('i2', 3, 4, -1, 70),
      sig('i3', 5, 6, 2, 80),
      sig('i4', 7, 8, -1, 80),
      sig('i5', 9, 10, 2, 90),
      sig('i6', 11, 12, 2, 90),
    ];
    // Out of sample: 70 → TP, 80 → TP, 90 → SL, and an EXPIRED one (not a TP/SL close: not scored).
    const outOfSample = [
      sig('o1', 20, 21, 2, 70),
      sig('o2', 22, 23, 2, 80),
      sig('o3', 24, 25, -1, 90),
      sig('o4', 26, 27, 0.1, 90, 'EXPIRED'),
    ];
    const report = walkForward([[...inSample, ...outOfSample]], { from: 0, to: 30 }, spec(20, 10), {
      minFitSample: 6,
    });
    const w = report.windows[0];
    expect(w.pTargetFit).toBeNull();
    // pTarget: (0−1)² + (0.5−1)² + (1−0)² = 2.25 over 3; confidence: 0.3² + 0.2² + 0.9² = 0.94 over 3.
    expect(w.pTarget.n).toBe(3);
    expect(w.pTarget.brierPTarget).toBeCloseTo(2.25 / 3, 12);
    expect(w.pTarget.brierConfidence).toBeCloseTo(0.94 / 3, 12);
    expect(report.outOfSample.pTarget).toEqual(w.pTarget);
    // Below the minimum sample there is no fit, and the reason says why.
    const unfit = walkForward([[...inSample, ...outOfSample]], { from: 0, to: 30 }, spec(20, 10));
    expect(unfit.windows[0].pTargetFit).toBe('6 observation(s); a fit needs at least 200');
    expect(unfit.windows[0].pTarget).toEqual({ n: 0, brierPTarget: null, brierConfidence: null });
  });

  it('counts every out-of-sample signal once across windows, and names a spec that does not fit the data', () => {
    const signals = Array.from({ length: 100 }, (_, i) => sig(`s${i}`, i, i + 3, i % 3 === 0 ? 2 : -1));
    const report = walkForward([signals], { from: 0, to: 100 }, spec(20, 10, 5, 15));
    const starts = report.windows.map((w) => w.outOfSample.from);
    expect(starts).toEqual([25, 40, 55, 70, 85]);
    const inWindows = signals.filter((s) =>
      report.windows.some((w) => s.createdAt >= w.outOfSample.from && s.createdAt < w.outOfSample.to),
    );
    expect(report.outOfSample.stats).toEqual(computeSignalStats(inWindows));
    expect(report.outOfSample.stats.closed).toBe(50);
    expect(() => walkForward([signals], { from: 0, to: 30 }, spec(20, 10, 5))).toThrow(
      /no walk-forward window fits: one needs 0\.00 days/,
    );
    expect(() => walkForward([], { from: 0, to: 100 }, spec(20, 10))).toThrow('at least one candidate');
  });
});

describe('runWalkForward', () => {
  const fiveMinute: Record<string, Candle[]> = Object.fromEntries(
    loadTalibFixtures()
      .filter((f) => f.interval === '5m')
      .map((f) => [f.symbol, f.candles]),
  );

  it('replays each candidate with the engine and reports the chosen ones’ out-of-sample signals', () => {
    const range = candleRange(fiveMinute);
    const hours = (range.to - range.from) / 3_600_000;
    const wf = parseWalkForwardSpec(
      `is=${Math.floor(hours / 3)}h,oos=${Math.floor(hours / 6)}h,gap=1h`,
      '5m',
    );
    const configs = [resolveEngineConfig({}), resolveEngineConfig({ minConfidence: 80 })];
    const report = runWalkForward(fiveMinute, wf, configs, { minInSampleCloses: 5 });
    expect(report.windows.length).toBeGreaterThan(1);
    const replays = configs.map((c) => runBacktest(fiveMinute, c).signals);
    const expected = report.windows.flatMap((w) =>
      replays[w.chosen].filter((s) => s.createdAt >= w.outOfSample.from && s.createdAt < w.outOfSample.to),
    );
    expect(expected.length).toBeGreaterThan(0);
    expect(report.outOfSample.stats).toEqual(computeSignalStats(expected));
    expect(report.outOfSample.calibration).toEqual(computeCalibration(expected));
    expect(report.outOfSample.chosenCount.reduce((a, b) => a + b, 0)).toBe(report.windows.length);
  });
});
