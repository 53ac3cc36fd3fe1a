import { computeSignalStats } from '@scanner/signal-core';
import { toOutcomeStats } from './quality.dto-mapper';

const close = (
  id: string,
  status: 'TP_HIT' | 'SL_HIT' | 'EXPIRED' | 'CANCELLED',
  grossR: number,
  netR: number,
  closedAt: number,
) => ({
  id,
  status,
  grossR,
  netR,
  closedAt,
});

describe('toOutcomeStats', () => {
  it('puts signal-core figures on the wire: net expectancy over every close, gross beside, rates with intervals', () => {
    const stats = toOutcomeStats(
      computeSignalStats([
        close('a', 'TP_HIT', 2, 1.9, 1),
        close('b', 'SL_HIT', -1, -1.1, 2),
        close('c', 'EXPIRED', 0.5, 0.4, 3),
        close('d', 'CANCELLED', -0.5, -0.6, 4),
        { id: 'e', status: 'ACTIVE' as const, grossR: null, netR: null, closedAt: null },
      ]),
    );
    expect(stats).toMatchObject({
      closed: 4,
      byOutcome: { TP_HIT: 1, SL_HIT: 1, INVALIDATED: 0, EXPIRED: 1, CANCELLED: 1 },
      winRate: 0.5,
      hitRate: 0.25,
      winRateInterval: { definition: 'TP / (TP + SL)', successes: 1, n: 2, value: 0.5, lowSample: true },
      hitRateInterval: { definition: 'TP / all closed', successes: 1, n: 4 },
      shares: { CANCELLED: { successes: 1, n: 4, value: 0.25 } },
      lowSample: true,
    });
    expect(stats.expectancy).toBeCloseTo((1.9 - 1.1 + 0.4 - 0.6) / 4, 12);
    expect(stats.expectancyGross).toBeCloseTo((2 - 1 + 0.5 - 0.5) / 4, 12);
    expect(stats.averageR).toBe(stats.expectancyGross);
    expect(stats.totalNetR).toBeCloseTo(0.6, 12);
    expect(stats.totalGrossR).toBeCloseTo(1, 12);
    expect(stats.profitFactor).toBeCloseTo(2.3 / 1.7, 12);
    // 1.9, 0.8, 1.2, 0.6: the deepest fall from 1.9 is to 0.6.
    expect(stats.maxDrawdownR).toBeCloseTo(1.3, 12);
    expect(stats.winRateInterval.low).toBeGreaterThan(0);
    expect(stats.winRateInterval.high).toBeLessThan(1);
  });

  it('an empty set has no rates and no expectancy, but says so', () => {
    const stats = toOutcomeStats(computeSignalStats([]));
    expect(stats).toMatchObject({
      closed: 0,
      winRate: null,
      hitRate: null,
      expectancy: null,
      profitFactor: null,
      lowSample: true,
    });
    expect(stats.winRateInterval).toMatchObject({ n: 0, value: null, low: null, high: null });
  });
});
