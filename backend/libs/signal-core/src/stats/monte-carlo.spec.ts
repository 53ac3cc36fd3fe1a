import { closedTradeNetR, monteCarloNetR } from './monte-carlo';
import { mulberry32 } from './prng';
import type { StatsSignal } from './signal-stats';

describe('mulberry32', () => {
  it('gives the reference sequence for a seed (the same on every platform)', () => {
    const random = mulberry32(42);
    const draws = Array.from({ length: 4 }, () => random());
    expect(draws).toEqual([0.6011037519201636, 0.44829055899754167, 0.8524657934904099, 0.6697340414393693]);
    const zero = mulberry32(0);
    expect([zero(), zero(), zero()].map((u) => u * 2 ** 32)).toEqual([1144304738, 1416247, 958946056]);
  });

  it('stays in [0, 1) and rejects a seed that is not an integer', () => {
    const random = mulberry32(7);
    for (let i = 0; i < 10_000; i++) {
      const u = random();
      expect(u >= 0 && u < 1).toBe(true);
    }
    expect(() => mulberry32(1.5)).toThrow('PRNG seed must be an integer, got 1.5');
  });
});

describe('monteCarloNetR', () => {
  it('has a fixed answer for a fixed seed, checkable by hand', () => {
    // mulberry32(42) draws .601 .448 .853 | .670 .175 .527 | .273 .625 .866 | .472 .250 .882 | .746 .307 .197;
    // ⌊u·3⌋ picks from [2, −1, 0.5]:
    //   run 1: −1 −1 0.5  → curve −1 −2 −1.5   final −1.5, drawdown 2
    //   run 2: 0.5 2 −1   → 0.5 2.5 1.5        final  1.5, drawdown 1
    //   run 3: 2 −1 0.5   → 2 1 1.5            final  1.5, drawdown 1
    //   run 4: −1 2 0.5   → −1 1 1.5           final  1.5, drawdown 1 (the peak starts at 0)
    //   run 5: 0.5 2 2    → 0.5 2.5 4.5        final  4.5, drawdown 0
    // Nearest rank over 5 runs: p5 = 1st, p50 = 3rd, p95 = 5th smallest.
    const report = monteCarloNetR([2, -1, 0.5], { runs: 5, random: mulberry32(42) });
    expect(report).toEqual({
      runs: 5,
      observedTrades: 3,
      tradesPerRun: 3,
      finalR: { p5: -1.5, p50: 1.5, p95: 4.5 },
      maxDrawdownR: { p5: 0, p50: 1, p95: 2 },
      lossProbability: 0.2,
    });
  });

  it('is reproducible with a seed and moves with it', () => {
    const trades = Array.from({ length: 200 }, (_, i) => ((i * 37) % 11) / 5 - 1);
    const a = monteCarloNetR(trades, { runs: 500, random: mulberry32(1) });
    expect(monteCarloNetR(trades, { runs: 500, random: mulberry32(1) })).toEqual(a);
    expect(monteCarloNetR(trades, { runs: 500, random: mulberry32(2) })).not.toEqual(a);
  });

  it('keeps its properties on random trade pools: ordered bands, finals within n·min..n·max, drawdown ≥ 0', () => {
    const gen = mulberry32(2024);
    for (let c = 0; c < 40; c++) {
      const n = 1 + Math.floor(gen() * 60);
      const trades = Array.from({ length: n }, () => Math.round((gen() * 4 - 1.5) * 100) / 100);
      const perRun = 1 + Math.floor(gen() * 80);
      const r = monteCarloNetR(trades, {
        runs: 1 + Math.floor(gen() * 300),
        random: mulberry32(c),
        trades: perRun,
      });
      const min = Math.min(...trades);
      const max = Math.max(...trades);
      for (const b of [r.finalR, r.maxDrawdownR]) {
        expect(b.p5).toBeLessThanOrEqual(b.p50);
        expect(b.p50).toBeLessThanOrEqual(b.p95);
      }
      expect(r.finalR.p5).toBeGreaterThanOrEqual(perRun * min - 1e-9);
      expect(r.finalR.p95).toBeLessThanOrEqual(perRun * max + 1e-9);
      expect(r.maxDrawdownR.p5).toBeGreaterThanOrEqual(0);
      // A sequence cannot fall further than all of its losing trades together.
      expect(r.maxDrawdownR.p95).toBeLessThanOrEqual(perRun * Math.max(0, -min) + 1e-9);
      expect(r.lossProbability).toBeGreaterThanOrEqual(0);
      expect(r.lossProbability).toBeLessThanOrEqual(1);
      if (min >= 0) expect(r.maxDrawdownR).toEqual({ p5: 0, p50: 0, p95: 0 });
      if (max < 0) expect(r.lossProbability).toBe(1);
    }
  });

  it('gives degenerate bands for a single repeated value, and finals centred on n·mean for many runs', () => {
    expect(monteCarloNetR([0.5], { runs: 10, random: mulberry32(3), trades: 4 }).finalR).toEqual({
      p5: 2,
      p50: 2,
      p95: 2,
    });
    const r = monteCarloNetR([1, -1], { runs: 20_000, random: mulberry32(9), trades: 100 });
    // Sum of 100 fair ±1 draws: median 0, 5% / 95% near ∓1.645·10 (even values only).
    expect(r.finalR.p50).toBe(0);
    expect(r.finalR.p5).toBeGreaterThanOrEqual(-18);
    expect(r.finalR.p5).toBeLessThanOrEqual(-14);
    expect(r.finalR.p95).toBeGreaterThanOrEqual(14);
    expect(r.finalR.p95).toBeLessThanOrEqual(18);
  });

  it('rejects what it cannot resample, naming the problem', () => {
    const random = mulberry32(1);
    expect(() => monteCarloNetR([], { runs: 10, random })).toThrow('at least one closed trade');
    expect(() => monteCarloNetR([1], { runs: 0, random })).toThrow(
      'runs must be an integer from 1 to 1000000, got 0',
    );
    expect(() => monteCarloNetR([1], { runs: 2.5, random })).toThrow('got 2.5');
    expect(() => monteCarloNetR([1], { runs: 1, random, trades: 0 })).toThrow(
      'trades per run must be an integer >= 1, got 0',
    );
    expect(() => monteCarloNetR([1, Number.NaN], { runs: 1, random })).toThrow('trade 1 has net R NaN');
  });
});

describe('closedTradeNetR', () => {
  it('takes closed trades in closing order (ties by id) whatever the input order, without ACTIVE ones', () => {
    const s = (id: string, closedAt: number | null, netR: number | null): StatsSignal => ({
      id,
      status: closedAt === null ? 'ACTIVE' : 'TP_HIT',
      closedAt,
      grossR: netR,
      netR,
    });
    const signals = [s('b', 20, 2), s('a', 20, 1), s('x', null, null), s('c', 10, -1)];
    expect(closedTradeNetR(signals)).toEqual([-1, 1, 2]);
    expect(closedTradeNetR([...signals].reverse())).toEqual([-1, 1, 2]);
  });
});
