import type { ClosedSignalStatus, OutcomeStats } from '@scanner/contracts';
import { CLOSED_SIGNAL_STATUSES } from '@scanner/signal-core';

/** One GROUP BY row of closed signals: how many with a status and the sums of their R. */
export interface OutcomeGroup {
  status: ClosedSignalStatus;
  count: number;
  sumR: number;
  /** Sum of the positive R values and of the negative ones (<= 0). */
  gainR: number;
  lossR: number;
}

/**
 * Outcome statistics from grouped sums, with the definitions of signal-core's computeSignalStats
 * (the backtest report): win rate = TP / (TP + SL); expectancy = mean R over EVERY closed signal,
 * whatever its outcome (CANCELLED, EXPIRED and INVALIDATED included: what a signal was worth, DESIGN
 * §11), which is also the average R; profit factor = gains / |losses| (null when nothing was lost).
 * R here is the stored outcome R (gross).
 */
export function aggregateOutcomeStats(groups: readonly OutcomeGroup[]): OutcomeStats {
  const byOutcome = Object.fromEntries(CLOSED_SIGNAL_STATUSES.map((s) => [s, 0])) as Record<
    ClosedSignalStatus,
    number
  >;
  let closed = 0;
  let sumR = 0;
  let gains = 0;
  let losses = 0;
  for (const g of groups) {
    byOutcome[g.status] += g.count;
    closed += g.count;
    sumR += g.sumR;
    gains += g.gainR;
    losses -= g.lossR;
  }
  const tp = byOutcome.TP_HIT;
  const sl = byOutcome.SL_HIT;
  const winRate = tp + sl === 0 ? null : tp / (tp + sl);
  const averageR = closed === 0 ? null : sumR / closed;
  return {
    closed,
    byOutcome,
    winRate,
    averageR,
    expectancy: averageR,
    profitFactor: losses > 0 ? gains / losses : null,
  };
}
