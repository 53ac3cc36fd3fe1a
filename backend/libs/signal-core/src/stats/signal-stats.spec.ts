import { InvalidStatsInputError } from '../errors/invalid-stats-input.error';
import type { SignalStatus } from '../lifecycle/signal.types';
import { closingOrder } from './closing-order';
import { computeSignalStats, type StatsSignal } from './signal-stats';
import { rate, wilsonInterval } from './wilson';

const closed = (id: number, status: SignalStatus, grossR: number, netR: number): StatsSignal => ({
  id: `s${id}`,
  status,
  closedAt: id,
  grossR,
  netR,
});

/**
 * Seven closes (+ one active), in closing order, net R:
 *   TP 1.9, SL −1.1, SL −1.1, EXPIRED 0.4, TP 1.9, INVALIDATED −0.35, CANCELLED −0.6   (sum 1.05)
 * gross R: 2, −1, −1, 0.5, 2, −0.25, −0.5                                               (sum 1.75)
 */
const SEVEN: StatsSignal[] = [
  closed(1, 'TP_HIT', 2, 1.9),
  closed(2, 'SL_HIT', -1, -1.1),
  closed(3, 'SL_HIT', -1, -1.1),
  closed(4, 'EXPIRED', 0.5, 0.4),
  closed(5, 'TP_HIT', 2, 1.9),
  closed(6, 'INVALIDATED', -0.25, -0.35),
  closed(7, 'CANCELLED', -0.5, -0.6),
  { id: 'active', status: 'ACTIVE', closedAt: null, grossR: null, netR: null },
];

describe('wilsonInterval', () => {
  it('matches hand-computed intervals', () => {
    // 2 of 4, z = 1.96: p = 0.5, 1 + z²/n = 1.960365, centre = 0.5, half = (z / 1.960365) × √(0.0625 + z²/64) = 0.349961.
    expect(wilsonInterval(2, 4)!.low).toBeCloseTo(0.150039, 6);
    expect(wilsonInterval(2, 4)!.high).toBeCloseTo(0.849961, 6);
    // 2 of 7: p = 0.285714, 1 + z²/n = 1.548780, centre = (p + z²/14) / 1.548780 = 0.361642, half = 0.279423.
    expect(wilsonInterval(2, 7)!.low).toBeCloseTo(0.082219, 6);
    expect(wilsonInterval(2, 7)!.high).toBeCloseTo(0.641066, 6);
    // 0 of 30: centre = half = (z²/60) / (1 + z²/30) = 0.056757 → [0, 0.113513]; the interval stays inside [0, 1].
    expect(wilsonInterval(0, 30)).toEqual({ low: 0, high: expect.closeTo(0.113513, 6) });
    expect(wilsonInterval(5, 5)!.high).toBe(1);
    expect(wilsonInterval(0, 0)).toBeNull();
  });

  it('flags a rate from fewer than 30 observations', () => {
    expect(rate('x', 2, 29).lowSample).toBe(true);
    expect(rate('x', 15, 30)).toMatchObject({
      value: 0.5,
      n: 30,
      lowSample: false,
      low: expect.closeTo(0.331541, 6),
      high: expect.closeTo(0.668459, 6),
    });
    expect(rate('x', 0, 0)).toMatchObject({ value: null, low: null, high: null, lowSample: true });
  });
});

describe('computeSignalStats', () => {
  it('counts every outcome and takes expectancy over every close, net with gross beside it', () => {
    const s = computeSignalStats(SEVEN);
    expect(s.closed).toBe(7);
    expect(s.open).toBe(1);
    expect(s.byOutcome).toEqual({ TP_HIT: 2, SL_HIT: 2, INVALIDATED: 1, EXPIRED: 1, CANCELLED: 1 });
    expect(s.expectancyR).toBeCloseTo(1.05 / 7, 12); // 0.15, not the TP/SL-only figure
    expect(s.expectancyGrossR).toBeCloseTo(1.75 / 7, 12); // 0.25
    expect(s.totalR).toBeCloseTo(1.05, 12);
    expect(s.totalGrossR).toBeCloseTo(1.75, 12);
    expect(s.lowSample).toBe(true);
  });

  it('win rate = TP/(TP+SL), hit rate = TP/all closed, and outcome shares, each with n and a Wilson interval', () => {
    const s = computeSignalStats(SEVEN);
    expect(s.winRate).toEqual({
      definition: 'TP / (TP + SL)',
      successes: 2,
      n: 4,
      value: 0.5,
      low: expect.closeTo(0.150039, 6),
      high: expect.closeTo(0.849961, 6),
      lowSample: true,
    });
    expect(s.hitRate).toMatchObject({
      definition: 'TP / all closed',
      successes: 2,
      n: 7,
      value: 2 / 7,
      low: expect.closeTo(0.082219, 6),
      high: expect.closeTo(0.641066, 6),
    });
    // 1 of 7: centre = (1/7 + z²/14) / 1.548780 = 0.269404, half = 0.243724.
    expect(s.shares.CANCELLED).toMatchObject({
      successes: 1,
      n: 7,
      value: 1 / 7,
      low: expect.closeTo(0.02568, 6),
      high: expect.closeTo(0.513128, 6),
    });
    const shareSum = Object.values(s.shares).reduce((sum, r) => sum + r.value!, 0);
    expect(shareSum).toBeCloseTo(1, 12);
  });

  it('profit factor and max drawdown on net R in closing order, whatever the input order', () => {
    // Gains 1.9 + 0.4 + 1.9 = 4.2; losses 1.1 + 1.1 + 0.35 + 0.6 = 3.15 → PF 1.3333.
    // Cumulative: 1.9, 0.8, −0.3, 0.1, 2.0, 1.65, 1.05 → deepest fall 1.9 → −0.3 = 2.2.
    const s = computeSignalStats([...SEVEN].reverse());
    expect(s.profitFactor).toBeCloseTo(4.2 / 3.15, 12);
    expect(s.maxDrawdownR).toBeCloseTo(2.2, 12);
    expect(computeSignalStats(SEVEN)).toEqual(s);
  });

  it('has nulls rather than NaN or Infinity when there is nothing to divide', () => {
    const empty = computeSignalStats([]);
    expect(empty).toMatchObject({
      closed: 0,
      expectancyR: null,
      expectancyGrossR: null,
      profitFactor: null,
      maxDrawdownR: 0,
      lowSample: true,
    });
    expect(empty.winRate.value).toBeNull();
    expect(computeSignalStats([closed(1, 'TP_HIT', 2, 1.9)]).profitFactor).toBeNull();
  });

  it('says when the sample reaches 30', () => {
    const thirty = Array.from({ length: 30 }, (_, i) =>
      closed(i, i % 2 === 0 ? 'TP_HIT' : 'EXPIRED', 1, 0.9),
    );
    const s = computeSignalStats(thirty);
    expect(s.lowSample).toBe(false);
    expect(s.hitRate.lowSample).toBe(false);
    expect(s.winRate.lowSample).toBe(true); // 15 TP, 0 SL: n = 15
  });

  it('refuses a closed signal without net R rather than leave it out', () => {
    expect(() =>
      computeSignalStats([{ id: 'x', status: 'EXPIRED', closedAt: 1, grossR: 0.1, netR: null }]),
    ).toThrow(InvalidStatsInputError);
  });
});

describe('closingOrder', () => {
  /** `runs` ascending runs of `size` close times, colliding across runs. */
  function runsOf(runs: number, size: number): number[] {
    const out: number[] = [];
    for (let r = 0; r < runs; r++) for (let i = 0; i < size; i++) out.push((i * 3 + (r % 4)) * 1000);
    return out;
  }
  /** Ascending by time, ties in input order. */
  const stable = (times: number[]) =>
    times
      .map((t, i) => [t, i])
      .sort((a, b) => a[0] - b[0] || a[1] - b[1])
      .map(([, i]) => i);

  it.each([
    ['one run', 1, 50],
    ['a few runs with ties across them', 5, 40],
    ['more runs than are worth merging', 80, 3],
  ])('orders %s by time, ties in input order', (_name, runs, size) => {
    const times = runsOf(runs, size);
    expect(Array.from(closingOrder(Float64Array.from(times)))).toEqual(stable(times));
  });
});

describe('computeSignalStats: order', () => {
  /** Six symbols' closes, times colliding across symbols; R values exact in binary so sums do not depend on order. */
  const items: StatsSignal[] = Array.from({ length: 180 }, (_, i) => {
    const win = i % 3 === 0;
    const closedAt = ((i % 30) * 3 + (Math.floor(i / 30) % 4)) * 1000;
    return {
      id: `S${Math.floor(i / 30)}-${i % 30}`,
      closedAt,
      status: win ? 'TP_HIT' : 'SL_HIT',
      grossR: win ? 2 : -1,
      netR: win ? 1.75 : -1.25,
    };
  });

  it('gives the same statistics for any input order', () => {
    expect(computeSignalStats([...items].reverse())).toEqual(computeSignalStats(items));
    expect(computeSignalStats(items).maxDrawdownR).toBeGreaterThan(0);
  });

  it('takes closes at one market time as one step of the drawdown', () => {
    // t = 1: +1.75; t = 2: −1.25 and +1.75 together. The curve is 0 → 1.75 → 2.25: no drawdown,
    // whatever the order inside t = 2 (loss first would have shown a 1.25 fall that never was).
    const sameTime = [
      closed(1, 'TP_HIT', 2, 1.75),
      closed(2, 'SL_HIT', -1, -1.25),
      closed(2, 'TP_HIT', 2, 1.75),
    ];
    expect(computeSignalStats(sameTime).maxDrawdownR).toBe(0);
    expect(computeSignalStats([sameTime[0], sameTime[2], sameTime[1]]).maxDrawdownR).toBe(0);
    expect(computeSignalStats([...sameTime, closed(3, 'SL_HIT', -1, -1.25)]).maxDrawdownR).toBe(1.25);
  });
});
