import { computeSignalStats, type Signal as DomainSignal } from '@scanner/signal-core';
import { aggregateOutcomeStats, type OutcomeGroup } from './outcome-stats.aggregate';

describe('aggregateOutcomeStats', () => {
  const rs: [DomainSignal['status'], number][] = [
    ['TP_HIT', 5 / 3],
    ['SL_HIT', -1],
    ['SL_HIT', -1.2],
    ['EXPIRED', 0.5],
    ['TP_HIT', 2],
    ['INVALIDATED', -0.25],
    ['CANCELLED', -0.4],
  ];

  function groups(): OutcomeGroup[] {
    const by = new Map<string, OutcomeGroup>();
    for (const [status, r] of rs) {
      const g = by.get(status) ?? {
        status: status as OutcomeGroup['status'],
        count: 0,
        sumR: 0,
        gainR: 0,
        lossR: 0,
      };
      g.count++;
      g.sumR += r;
      if (r > 0) g.gainR += r;
      else g.lossR += r;
      by.set(status, g);
    }
    return [...by.values()];
  }

  it('gives the hand-computed numbers', () => {
    const stats = aggregateOutcomeStats(groups());
    expect(stats.closed).toBe(7);
    expect(stats.byOutcome).toEqual({ TP_HIT: 2, SL_HIT: 2, INVALIDATED: 1, EXPIRED: 1, CANCELLED: 1 });
    expect(stats.winRate).toBe(0.5);
    expect(stats.averageR).toBeCloseTo((5 / 3 - 1 - 1.2 + 0.5 + 2 - 0.25 - 0.4) / 7, 12);
    // Over every closed signal: the cancelled one counts.
    expect(stats.expectancy).toBeCloseTo((5 / 3 - 1 - 1.2 + 0.5 + 2 - 0.25 - 0.4) / 7, 12);
    expect(stats.profitFactor).toBeCloseTo((5 / 3 + 0.5 + 2) / 2.85, 12);
  });

  it('agrees with signal-core computeSignalStats (the backtest report) on gross R', () => {
    // Gross = net here (no costs), so every figure is comparable.
    const signals = rs.map(
      ([status, r], i) =>
        ({ id: `s${i}`, status, grossR: r, netR: r, closedAt: i + 1 }) as unknown as DomainSignal,
    );
    const core = computeSignalStats(signals);
    const ours = aggregateOutcomeStats(groups());
    expect(ours.closed).toBe(core.closed);
    expect(ours.byOutcome).toEqual(core.byOutcome);
    expect(ours.winRate).toBeCloseTo(core.winRate.value!, 12);
    expect(ours.expectancy).toBeCloseTo(core.expectancyGrossR!, 12);
    expect(ours.profitFactor).toBeCloseTo(core.profitFactor!, 12);
  });

  it('has nulls, not NaN, when there is nothing to divide', () => {
    expect(aggregateOutcomeStats([])).toEqual({
      closed: 0,
      byOutcome: { TP_HIT: 0, SL_HIT: 0, INVALIDATED: 0, EXPIRED: 0, CANCELLED: 0 },
      winRate: null,
      averageR: null,
      expectancy: null,
      profitFactor: null,
    });
  });
});
