import type { Prng } from './prng';
import type { StatsSignal } from './signal-stats';

/** Percentiles of a simulated figure over the runs (nearest rank: the smallest value with at least p% of runs at or below it). */
export interface PercentileBands {
  readonly p5: number;
  readonly p50: number;
  readonly p95: number;
}

export interface MonteCarloOptions {
  /** Resampled sequences, 1 to 1,000,000. */
  readonly runs: number;
  /** The seeded source of the draws (e.g. mulberry32(seed)): the same source gives the same bands. */
  readonly random: Prng;
  /** Trades per sequence; default: as many as were observed. */
  readonly trades?: number;
}

export interface MonteCarloReport {
  readonly runs: number;
  /** Trades observed (the pool drawn from) and trades per simulated sequence. */
  readonly observedTrades: number;
  readonly tradesPerRun: number;
  /** Cumulative net R at the end of a sequence. */
  readonly finalR: PercentileBands;
  /** Largest peak-to-trough fall of cumulative net R within a sequence (the peak starts at 0). */
  readonly maxDrawdownR: PercentileBands;
  /** Share of sequences that end below 0 R. */
  readonly lossProbability: number;
}

export const MONTE_CARLO_MAX_RUNS = 1_000_000;

/** Nearest-rank percentile of an ascending array (p an integer percent). */
function nearestRank(sorted: Float64Array, p: number): number {
  const n = sorted.length;
  return sorted[Math.max(0, Math.ceil((p * n) / 100) - 1)];
}

function bands(values: Float64Array): PercentileBands {
  values.sort();
  return { p5: nearestRank(values, 5), p50: nearestRank(values, 50), p95: nearestRank(values, 95) };
}

/**
 * Bootstrap of a trade sequence: each run draws `tradesPerRun` trades uniformly WITH replacement
 * from the observed net R values (index ⌊u·n⌋ for each draw u of `random`, runs one after the
 * other), sums them in the drawn order, and records the final R and the largest drawdown. The
 * draws are independent, so the bands describe what the same per-trade distribution could have
 * produced in another order and mix, not a forecast: streaks that the market's regimes cause are
 * broken up, and the drawdown band is, if anything, optimistic. Every trade is one step of the
 * curve. Pure: the same values and the same PRNG state give the same report.
 */
export function monteCarloNetR(netR: readonly number[], options: MonteCarloOptions): MonteCarloReport {
  const { runs, random } = options;
  const n = netR.length;
  if (n === 0) throw new RangeError('Monte Carlo needs at least one closed trade to resample');
  const tradesPerRun = options.trades ?? n;
  if (!Number.isInteger(runs) || runs < 1 || runs > MONTE_CARLO_MAX_RUNS)
    throw new RangeError(
      `Monte Carlo runs must be an integer from 1 to ${MONTE_CARLO_MAX_RUNS}, got ${runs}`,
    );
  if (!Number.isInteger(tradesPerRun) || tradesPerRun < 1)
    throw new RangeError(`Monte Carlo trades per run must be an integer >= 1, got ${tradesPerRun}`);
  const pool = Float64Array.from(netR);
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(pool[i]))
      throw new RangeError(`Monte Carlo: trade ${i} has net R ${pool[i]}, not a finite number`);
  }
  const finals = new Float64Array(runs);
  const drawdowns = new Float64Array(runs);
  let losses = 0;
  for (let run = 0; run < runs; run++) {
    let total = 0;
    let peak = 0;
    let drawdown = 0;
    for (let k = 0; k < tradesPerRun; k++) {
      const index = Math.floor(random() * n);
      total += pool[index < n ? index : n - 1];
      if (total > peak) peak = total;
      else if (peak - total > drawdown) drawdown = peak - total;
    }
    finals[run] = total;
    drawdowns[run] = drawdown;
    if (total < 0) losses++;
  }
  return {
    runs,
    observedTrades: n,
    tradesPerRun,
    finalR: bands(finals),
    maxDrawdownR: bands(drawdowns),
    lossProbability: losses / runs,
  };
}

/**
 * The closed signals' net R in closing order (ties by id), so the pool, and with it a seeded
 * result, does not depend on the order the signals were given in. ACTIVE signals are not trades.
 */
export function closedTradeNetR(signals: readonly StatsSignal[]): number[] {
  return signals
    .filter((s) => s.status !== 'ACTIVE' && s.netR !== null && s.closedAt !== null)
    .sort((a, b) => a.closedAt! - b.closedAt! || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((s) => s.netR!);
}
