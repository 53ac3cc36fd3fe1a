import type { Candle } from '../candles/candle.types';
import type { CandleGapEvent, Signal } from '../lifecycle/signal.types';
import { DEFAULT_ENGINE_CONFIG, type EngineConfig } from '../scoring/engine-config';
import { computeSignalStats, type SignalStats } from '../stats/signal-stats';
import { runBacktest, type BacktestOptions, type BacktestResult } from './run-backtest';
import { packSignals, unpackSignals, type PackedSignals } from './transfer';

/*
 * A backtest split by series and put back together: each symbol's replay is independent of the
 * others, so shares of the symbols can run anywhere (worker threads, other processes) and
 * mergeSeriesOutcomes gives exactly what runBacktest gives over all of them.
 */

/** One symbol's replay, packed to cross a thread. */
export interface SeriesOutcome {
  readonly symbol: string;
  readonly candles: number;
  readonly signals: PackedSignals;
  readonly gaps: CandleGapEvent[];
  readonly resolutions: { readonly fine: number; readonly conservative: number };
  readonly stats: SignalStats;
}

/**
 * Symbols in `parts` shares of about equal candle counts (largest series first, each to the
 * least-loaded share; ties to the earlier share), each share sorted; empty shares are dropped.
 * Deterministic.
 */
export function partitionSeries(
  candlesBySymbol: Readonly<Record<string, readonly Candle[]>>,
  parts: number,
): string[][] {
  if (!Number.isInteger(parts) || parts < 1)
    throw new RangeError(`parts must be an integer >= 1, got ${parts}`);
  const symbols = Object.keys(candlesBySymbol).sort();
  const bySize = [...symbols].sort(
    (a, b) => candlesBySymbol[b].length - candlesBySymbol[a].length || (a < b ? -1 : 1),
  );
  const shares: string[][] = Array.from({ length: Math.min(parts, symbols.length) }, () => []);
  const load = shares.map(() => 0);
  for (const symbol of bySize) {
    let least = 0;
    for (let i = 1; i < shares.length; i++) if (load[i] < load[least]) least = i;
    shares[least].push(symbol);
    load[least] += candlesBySymbol[symbol].length;
  }
  return shares.map((share) => share.sort()).filter((share) => share.length > 0);
}

/** Replays each symbol of `candlesBySymbol` on its own (what a worker does with its share), telling `onOutcome` each as it is done. */
export function runSeries(
  candlesBySymbol: Readonly<Record<string, readonly Candle[]>>,
  config: EngineConfig = DEFAULT_ENGINE_CONFIG,
  options: BacktestOptions = {},
  onOutcome: (outcome: SeriesOutcome) => void = () => undefined,
): SeriesOutcome[] {
  const out: SeriesOutcome[] = [];
  for (const symbol of Object.keys(candlesBySymbol).sort()) {
    const candles = candlesBySymbol[symbol];
    if (candles.length === 0) continue;
    const { signals, gaps, report } = runBacktest({ [symbol]: candles }, config, options);
    const timeframe = signals.length > 0 ? signals[0].timeframe : '';
    const outcome: SeriesOutcome = {
      symbol,
      candles: report.candles,
      signals: packSignals(signals, symbol, timeframe),
      gaps,
      resolutions: report.resolutions,
      stats: report.perSymbol[symbol],
    };
    onOutcome(outcome);
    out.push(outcome);
  }
  return out;
}

/** One symbol's replay with its signals unpacked (e.g. as soon as a worker posts it). */
export interface SeriesResult extends Omit<SeriesOutcome, 'signals'> {
  readonly signals: readonly Signal[];
}

/** Unpacks an outcome's signals; `config` is the one it ran with (their breakdowns are formatted under it on read). */
export function unpackSeriesOutcome(
  outcome: SeriesOutcome,
  config: EngineConfig = DEFAULT_ENGINE_CONFIG,
): SeriesResult {
  return { ...outcome, signals: unpackSignals(outcome.signals, config) };
}

/**
 * Every share's results as one BacktestResult, equal to runBacktest over all the symbols:
 * symbols in sorted order, whatever order the shares finished in.
 */
export function mergeSeriesResults(results: readonly SeriesResult[]): BacktestResult {
  const sorted = [...results].sort((a, b) => (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0));
  const signals: Signal[] = [];
  const gaps: CandleGapEvent[] = [];
  const perSymbol: Record<string, SignalStats> = {};
  const resolutions = { fine: 0, conservative: 0 };
  let candles = 0;
  for (let i = 0; i < sorted.length; i++) {
    const o = sorted[i];
    if (i > 0 && sorted[i - 1].symbol === o.symbol) throw new RangeError(`${o.symbol} was replayed twice`);
    for (const s of o.signals) signals.push(s);
    for (const g of o.gaps) gaps.push(g);
    perSymbol[o.symbol] = o.stats;
    resolutions.fine += o.resolutions.fine;
    resolutions.conservative += o.resolutions.conservative;
    candles += o.candles;
  }
  return {
    signals,
    gaps,
    report: { ...computeSignalStats(signals), candles, gaps: gaps.length, resolutions, perSymbol },
  };
}

/** mergeSeriesResults of packed outcomes; `config` is the one they ran with. */
export function mergeSeriesOutcomes(
  outcomes: readonly SeriesOutcome[],
  config: EngineConfig = DEFAULT_ENGINE_CONFIG,
): BacktestResult {
  return mergeSeriesResults(outcomes.map((o) => unpackSeriesOutcome(o, config)));
}
