import { InvalidStatsInputError } from '../errors/invalid-stats-input.error';
import { CLOSED_SIGNAL_STATUSES, type ClosedSignalStatus, type Signal } from '../lifecycle/signal.types';
import { closingOrder } from './closing-order';
import { LOW_SAMPLE, rate, type Rate } from './wilson';

/** What the statistics read of a signal: the engine's Signal, or a stored row mapped to these fields. */
export type StatsSignal = Pick<Signal, 'id' | 'status' | 'closedAt' | 'grossR' | 'netR'>;

export interface SignalStats {
  /** Closed signals: every figure below is over all of them, whatever their outcome. */
  readonly closed: number;
  /** Signals still ACTIVE (not in any figure). */
  readonly open: number;
  readonly byOutcome: Readonly<Record<ClosedSignalStatus, number>>;
  /** Share of each outcome among the closed signals. */
  readonly shares: Readonly<Record<ClosedSignalStatus, Rate>>;
  /** Mean net R over every closed signal: what a signal is worth after costs. */
  readonly expectancyR: number | null;
  /** Mean gross R over every closed signal (beside the net figure, never instead of it). */
  readonly expectancyGrossR: number | null;
  /** TP / (TP + SL): how often a signal that reached a level reached the target. */
  readonly winRate: Rate;
  /** TP / all closed: how often a signal reached its target at all. */
  readonly hitRate: Rate;
  /** Sum of positive net R / |sum of negative net R|; null when nothing was lost. */
  readonly profitFactor: number | null;
  readonly totalR: number;
  readonly totalGrossR: number;
  /** Largest peak-to-trough fall of cumulative net R in closing order (closes at one market time as one step). */
  readonly maxDrawdownR: number;
  /** Fewer than 30 closed signals: read every figure as anecdote. */
  readonly lowSample: boolean;
}

/** The one implementation of the outcome statistics (backtest, API, dashboard, CLI). */
export function computeSignalStats(signals: readonly StatsSignal[]): SignalStats {
  const byOutcome = Object.fromEntries(CLOSED_SIGNAL_STATUSES.map((s) => [s, 0])) as Record<
    ClosedSignalStatus,
    number
  >;
  const closed: StatsSignal[] = [];
  const times = new Float64Array(signals.length);
  let sorted = true;
  for (const s of signals) {
    if (s.status === 'ACTIVE') continue;
    if (
      s.netR === null ||
      s.grossR === null ||
      s.closedAt === null ||
      !Number.isFinite(s.netR) ||
      !Number.isFinite(s.grossR)
    ) {
      throw new InvalidStatsInputError(
        s.id,
        `closed as ${s.status} without finite grossR, netR and closedAt`,
      );
    }
    // One symbol's signals arrive in closing order already: reorder only when they do not.
    if (closed.length > 0 && times[closed.length - 1] > s.closedAt) sorted = false;
    times[closed.length] = s.closedAt;
    byOutcome[s.status]++;
    closed.push(s);
  }
  const n = closed.length;
  const order = sorted ? null : closingOrder(times.subarray(0, n));
  let gains = 0;
  let pains = 0;
  let total = 0;
  let totalGross = 0;
  let peak = 0;
  let maxDrawdown = 0;
  for (let k = 0; k < n; k++) {
    const i = order === null ? k : order[k];
    const s = closed[i];
    const r = s.netR!;
    if (r > 0) gains += r;
    else pains -= r;
    total += r;
    totalGross += s.grossR!;
    // Closes at one market time are one step of the equity curve: their order within it is unknown.
    const next = k + 1 < n ? times[order === null ? k + 1 : order[k + 1]] : Number.NaN;
    if (next === times[i]) continue;
    if (total > peak) peak = total;
    if (peak - total > maxDrawdown) maxDrawdown = peak - total;
  }
  const shares = Object.fromEntries(
    CLOSED_SIGNAL_STATUSES.map((status) => [status, rate(`${status} / all closed`, byOutcome[status], n)]),
  ) as Record<ClosedSignalStatus, Rate>;
  return {
    closed: n,
    open: signals.length - n,
    byOutcome,
    shares,
    expectancyR: n === 0 ? null : total / n,
    expectancyGrossR: n === 0 ? null : totalGross / n,
    winRate: rate('TP / (TP + SL)', byOutcome.TP_HIT, byOutcome.TP_HIT + byOutcome.SL_HIT),
    hitRate: rate('TP / all closed', byOutcome.TP_HIT, n),
    profitFactor: pains > 0 ? gains / pains : null,
    totalR: total,
    totalGrossR: totalGross,
    maxDrawdownR: maxDrawdown,
    lowSample: n < LOW_SAMPLE,
  };
}
