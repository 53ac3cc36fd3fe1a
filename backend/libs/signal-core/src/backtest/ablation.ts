import type { Candle } from '../candles/candle.types';
import type { Signal } from '../lifecycle/signal.types';
import { CONDITION_KEYS, type ConditionKey } from '../scoring/condition-key';
import { DEFAULT_ENGINE_CONFIG, type EngineConfig } from '../scoring/engine-config';
import { computeSignalStats, type SignalStats } from '../stats/signal-stats';
import { rate, type Rate } from '../stats/wilson';
import { runBacktest, type BacktestOptions } from './run-backtest';

/** Closed signals on one side of a condition at creation. */
export interface ConditionSplit {
  readonly count: number;
  /** TP / all closed on this side. */
  readonly hitRate: Rate;
  readonly meanNetR: number | null;
}

export interface ConditionAblation {
  readonly key: ConditionKey;
  readonly weight: number;
  /** Closed signals whose creation had this condition met / not met. */
  readonly held: ConditionSplit;
  readonly notHeld: ConditionSplit;
  /** A re-run with this condition's weight set to 0 (the others and the threshold unchanged). */
  readonly withoutIt: {
    readonly closed: number;
    readonly expectancyR: number | null;
    /** Re-run minus baseline. */
    readonly deltaClosed: number;
    readonly deltaExpectancyR: number | null;
  };
}

/** What a condition split reads of a closed signal (the engine's Signal, or a stored row mapped to these fields). */
export type AblationSignal = Pick<Signal, 'status' | 'netR' | 'initialConditionMask'>;

function split(signals: readonly AblationSignal[]): ConditionSplit {
  let tp = 0;
  let sum = 0;
  for (const s of signals) {
    if (s.status === 'TP_HIT') tp++;
    sum += s.netR!;
  }
  return {
    count: signals.length,
    hitRate: rate('TP / all closed', tp, signals.length),
    meanNetR: signals.length === 0 ? null : sum / signals.length,
  };
}

/** Closed signals on each side of one condition at creation. */
export interface ConditionSplitPair {
  readonly key: ConditionKey;
  readonly held: ConditionSplit;
  readonly notHeld: ConditionSplit;
}

/**
 * For each of the eight conditions, the closed signals (ACTIVE ones and closes without net R are left
 * out) whose creation had it met vs not met: count, hit rate and mean net R. The backtest's ablation
 * and the API's live table both come from here.
 */
export function splitByCondition(signals: readonly AblationSignal[]): ConditionSplitPair[] {
  const closed = signals.filter((s) => s.status !== 'ACTIVE' && s.netR !== null);
  return CONDITION_KEYS.map((key, i) => {
    const bit = 1 << i;
    return {
      key,
      held: split(closed.filter((s) => (s.initialConditionMask & bit) !== 0)),
      notHeld: split(closed.filter((s) => (s.initialConditionMask & bit) === 0)),
    };
  });
}

/**
 * What each of the eight conditions contributes: the baseline's closed signals split by whether it
 * held at creation, and a re-run of the whole backtest with its weight at 0. The weights are not
 * renormalised: the condition simply stops counting toward the same threshold, which is the
 * question "would we be better off without it?". `baseline` is the same backtest's signals when the
 * caller already has them (else it is run here). `onProgress` is told each condition as it starts.
 */
export function runAblation(
  candlesBySymbol: Readonly<Record<string, readonly Candle[]>>,
  config: EngineConfig = DEFAULT_ENGINE_CONFIG,
  options: BacktestOptions = {},
  baseline: readonly Signal[] = runBacktest(candlesBySymbol, config, options).signals,
  onProgress: (key: ConditionKey, index: number) => void = () => undefined,
): ConditionAblation[] {
  const splits = splitByCondition(baseline);
  const base = computeSignalStats(baseline);
  return CONDITION_KEYS.map((key, i) => {
    onProgress(key, i);
    const weight = config.weights[key];
    // Not validated on purpose: the weights no longer sum to 100, and that is the experiment.
    const stats =
      weight === 0
        ? base
        : computeSignalStats(runBacktest(candlesBySymbol, withoutCondition(config, key), options).signals);
    return ablationRow(splits[i], weight, base, stats);
  });
}

/** The configuration with one condition's weight at 0 (not renormalised; the threshold unchanged). */
export function withoutCondition(config: EngineConfig, key: ConditionKey): EngineConfig {
  return { ...config, weights: { ...config.weights, [key]: 0 } };
}

/**
 * One condition's row of the ablation table: the baseline's split by the condition, and the figures of
 * the re-run without it (`stats`; the baseline's own when its weight is already 0) against the baseline's.
 */
export function ablationRow(
  split: ConditionSplitPair,
  weight: number,
  base: SignalStats,
  stats: SignalStats,
): ConditionAblation {
  return {
    key: split.key,
    weight,
    held: split.held,
    notHeld: split.notHeld,
    withoutIt: {
      closed: stats.closed,
      expectancyR: stats.expectancyR,
      deltaClosed: stats.closed - base.closed,
      deltaExpectancyR:
        stats.expectancyR === null || base.expectancyR === null ? null : stats.expectancyR - base.expectancyR,
    },
  };
}
