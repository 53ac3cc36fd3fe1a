import { CLOSED_SIGNAL_STATUSES, type ClosedSignalStatus, type Signal } from '../lifecycle/signal.types';

export interface OutcomeStats {
  /** Closed signals (the statistics below are over these). */
  readonly closed: number;
  /** Signals still ACTIVE at the end of the data (not counted in the statistics). */
  readonly open: number;
  readonly byOutcome: Readonly<Record<ClosedSignalStatus, number>>;
  /** TP_HIT / (TP_HIT + SL_HIT); null without any. */
  readonly winRate: number | null;
  /** Mean outcomeR over all closed signals (invalidated and expired included). */
  readonly averageR: number | null;
  /** winRate × mean R of TP_HIT + (1 − winRate) × mean R of SL_HIT: expected R of a signal resolved at a level. */
  readonly expectancy: number | null;
  /** Sum of positive R / |sum of negative R| over closed signals; null when nothing lost. */
  readonly profitFactor: number | null;
  /** Sum of outcomeR. */
  readonly totalR: number;
  /** Largest peak-to-trough fall of cumulative R, signals taken in closing order. */
  readonly maxDrawdownR: number;
}

const mean = (xs: number[]): number | null => (xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length);

const byClose = (a: Signal, b: Signal): number => a.closedAt! - b.closedAt! || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Outcome statistics of a set of signals (the backtest report and the stats endpoint share it). */
export function computeOutcomeStats(signals: readonly Signal[]): OutcomeStats {
  const byOutcome = Object.fromEntries(CLOSED_SIGNAL_STATUSES.map((s) => [s, 0])) as Record<ClosedSignalStatus, number>;
  const closed: Signal[] = [];
  let sorted = true;
  for (let i = 0; i < signals.length; i++) {
    const s = signals[i];
    if (s.status === 'ACTIVE' || s.outcomeR === null) continue;
    // One symbol's signals usually arrive in closing order already: sort only when they do not.
    if (sorted && closed.length > 0 && byClose(closed[closed.length - 1], s) > 0) sorted = false;
    closed.push(s);
  }
  if (!sorted) closed.sort(byClose);
  const wins: number[] = [];
  const losses: number[] = [];
  let gains = 0;
  let pains = 0;
  let total = 0;
  let peak = 0;
  let maxDrawdown = 0;
  for (const s of closed) {
    const r = s.outcomeR!;
    byOutcome[s.status as ClosedSignalStatus]++;
    if (s.status === 'TP_HIT') wins.push(r);
    if (s.status === 'SL_HIT') losses.push(r);
    if (r > 0) gains += r;
    else pains -= r;
    total += r;
    if (total > peak) peak = total;
    if (peak - total > maxDrawdown) maxDrawdown = peak - total;
  }
  const resolved = wins.length + losses.length;
  const winRate = resolved === 0 ? null : wins.length / resolved;
  const expectancy = winRate === null ? null : winRate * (mean(wins) ?? 0) + (1 - winRate) * (mean(losses) ?? 0);
  return {
    closed: closed.length,
    open: signals.length - closed.length,
    byOutcome,
    winRate,
    averageR: closed.length === 0 ? null : closedMean(closed),
    expectancy,
    profitFactor: pains > 0 ? gains / pains : null,
    totalR: total,
    maxDrawdownR: maxDrawdown,
  };
}

/** Mean outcomeR, summed in closing order (as the original map + reduce did). */
function closedMean(closed: readonly Signal[]): number {
  let sum = 0;
  for (const s of closed) sum += s.outcomeR!;
  return sum / closed.length;
}
