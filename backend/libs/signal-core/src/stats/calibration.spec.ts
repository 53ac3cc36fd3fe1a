import type { SignalStatus } from '../lifecycle/signal.types';
import { computeCalibration, fitTargetProbability, type CalibrationSignal } from './calibration';
import { fitIsotonic } from './isotonic';
import { averageRanks, spearman } from './rank-correlation';

const sig = (initialConfidence: number, status: SignalStatus, netR: number | null): CalibrationSignal => ({
  initialConfidence,
  status,
  netR,
});

/** conf/outcome/net R: 70 TP 1.5, 72 SL −1.1, 74 EXP 0.2, 80 SL −1.1, 80 SL −1.1, 85 TP 1.5, 100 TP 1.5, 65 INV −0.3, and one ACTIVE. */
const SET = [
  sig(70, 'TP_HIT', 1.5),
  sig(72, 'SL_HIT', -1.1),
  sig(74, 'EXPIRED', 0.2),
  sig(80, 'SL_HIT', -1.1),
  sig(80, 'SL_HIT', -1.1),
  sig(85, 'TP_HIT', 1.5),
  sig(100, 'TP_HIT', 1.5),
  sig(65, 'INVALIDATED', -0.3),
  sig(90, 'ACTIVE', null),
];

describe('computeCalibration', () => {
  it('buckets closes by confidence at creation: count, P(TP before SL) with Wilson interval, mean net R', () => {
    const c = computeCalibration(SET);
    expect(c.closed).toBe(8);
    expect(c.buckets.map((b) => b.label)).toEqual([
      '65–69',
      '70–74',
      '75–79',
      '80–84',
      '85–89',
      '90–94',
      '95–100',
    ]);
    const by = Object.fromEntries(c.buckets.map((b) => [b.label, b]));
    // 70–74: TP, SL, EXPIRED → count 3, P = 1/2 (n = 2: [0.094531, 0.905469]), mean (1.5 − 1.1 + 0.2)/3 = 0.2.
    expect(by['70–74']).toMatchObject({ min: 70, max: 75, count: 3, meanNetR: expect.closeTo(0.2, 12) });
    expect(by['70–74'].pTarget).toMatchObject({
      successes: 1,
      n: 2,
      value: 0.5,
      low: expect.closeTo(0.094531, 6),
      high: expect.closeTo(0.905469, 6),
      lowSample: true,
    });
    expect(by['75–79']).toMatchObject({ count: 0, meanNetR: null, pTarget: { n: 0, value: null } });
    expect(by['80–84']).toMatchObject({
      count: 2,
      meanNetR: expect.closeTo(-1.1, 12),
      pTarget: { successes: 0, n: 2, value: 0 },
    });
    expect(by['95–100']).toMatchObject({ min: 95, max: 100, count: 1, pTarget: { successes: 1, n: 1 } });
    expect(by['65–69']).toMatchObject({ count: 1, pTarget: { n: 0 } });
  });

  it('Brier score over TP/SL closes and Spearman correlation of confidence with net R over every close', () => {
    const c = computeCalibration(SET);
    // (0.70−1)² + 0.72² + 0.80² + 0.80² + (0.85−1)² + (1.00−1)² = 0.09 + 0.5184 + 0.64 + 0.64 + 0.0225 + 0 = 1.9109; / 6.
    expect(c.brierN).toBe(6);
    expect(c.brierScore).toBeCloseTo(1.9109 / 6, 12);
    // Ranks of confidence [2, 3, 4, 5.5, 5.5, 7, 8, 1] vs net R [7, 2, 5, 2, 2, 7, 7, 4]: Pearson on ranks = 0.226635.
    expect(c.rankCorrelation).toBeCloseTo(0.226635, 6);
    expect(c.lowSample).toBe(true);
  });

  it('has nulls, not NaN, with nothing closed', () => {
    const c = computeCalibration([sig(80, 'ACTIVE', null)]);
    expect(c).toMatchObject({ closed: 0, brierScore: null, brierN: 0, rankCorrelation: null });
    expect(c.buckets).toHaveLength(6);
  });
});

describe('rank correlation', () => {
  it('averages tied ranks and is ±1 for monotone relations, null without variation', () => {
    expect(averageRanks([10, 20, 20, 5])).toEqual([2, 3.5, 3.5, 1]);
    expect(spearman([1, 2, 3, 4], [1, 4, 9, 16])).toBeCloseTo(1, 12);
    expect(spearman([1, 2, 3, 4], [4, 3, 2, 1])).toBeCloseTo(-1, 12);
    expect(spearman([1, 1, 1], [1, 2, 3])).toBeNull();
    expect(spearman([1], [1])).toBeNull();
  });
});

describe('fitIsotonic (pool adjacent violators)', () => {
  it('pools a decreasing pair into its mean and predicts a non-decreasing function', () => {
    // y = 0, 1, 0, 1 at x = 1..4: (1, 0) at x = 2, 3 violate → pooled to 0.5.
    const { model } = fitIsotonic(
      [
        { x: 1, y: 0 },
        { x: 2, y: 1 },
        { x: 3, y: 0 },
        { x: 4, y: 1 },
      ],
      { minSample: 1 },
    );
    expect(model!.blocks).toEqual([
      { xMin: 1, xMax: 1, value: 0, weight: 1 },
      { xMin: 2, xMax: 3, value: 0.5, weight: 2 },
      { xMin: 4, xMax: 4, value: 1, weight: 1 },
    ]);
    expect([0, 1, 1.5, 2, 2.5, 3, 3.5, 4, 9].map((x) => model!.predict(x))).toEqual([
      0, 0, 0.25, 0.5, 0.5, 0.5, 0.75, 1, 1,
    ]);
  });

  it('merges equal x first, then pools across them (weighted)', () => {
    // x 70: y 1, 0 → 0.5 (weight 2); x 75: 0 → violates → (0.5·2 + 0)/3 = 1/3 over [70, 75]; x 80: 1, 1 → 1.
    const { model } = fitIsotonic(
      [
        { x: 80, y: 1 },
        { x: 70, y: 1 },
        { x: 75, y: 0 },
        { x: 70, y: 0 },
        { x: 80, y: 1 },
      ],
      { minSample: 5 },
    );
    expect(model!.blocks).toEqual([
      { xMin: 70, xMax: 75, value: 1 / 3, weight: 3 },
      { xMin: 80, xMax: 80, value: 1, weight: 2 },
    ]);
    // Between blocks: linear from (75, 1/3) to (80, 1).
    expect(model!.predict(77.5)).toBeCloseTo(2 / 3, 12);
    expect(JSON.parse(JSON.stringify(model))).toEqual({ blocks: model!.blocks, sampleSize: 5 });
  });

  it('gives no model, with the reason, below the minimum sample (default 200)', () => {
    const few = Array.from({ length: 199 }, (_, i) => ({ x: 70 + (i % 30), y: i % 2 }));
    expect(fitIsotonic(few)).toEqual({ model: null, reason: '199 observation(s); a fit needs at least 200' });
    expect(fitIsotonic([...few, { x: 90, y: 1 }]).model).not.toBeNull();
  });

  it('fits P(TP before SL) on confidence at creation from TP/SL closes only', () => {
    const fit = fitTargetProbability(SET, { minSample: 6 });
    // TP/SL closes: 70 TP, 72 SL, 80 SL, 80 SL, 85 TP, 100 TP → 1, 0, 0, 0, 1, 1 → pooled (1, 0, 0, 0) = 0.25 over [70, 80];
    // equal neighbours (85 and 100, both 1) do not violate, so they stay apart.
    expect(fit.model!.blocks.map((b) => [b.xMin, b.xMax, b.value])).toEqual([
      [70, 80, 0.25],
      [85, 85, 1],
      [100, 100, 1],
    ]);
    expect(fit.model!.predict(82.5)).toBeCloseTo(0.625, 12);
    expect(fitTargetProbability(SET).reason).toBe('6 observation(s); a fit needs at least 200');
  });
});
