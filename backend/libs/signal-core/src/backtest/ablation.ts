import type { Candle } from '../candles/candle.types';
import type { Signal } from '../lifecycle/signal.types';
import { CONDITION_KEYS, type ConditionKey } from '../scoring/condition-key';
import { DEFAULT_ENGINE_CONFIG, type EngineConfig } from '../scoring/engine-config';
import { computeSignalStats } from '../stats/signal-stats';
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

function split(signals: readonly Signal[]): ConditionSplit {
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
  const closed = baseline.filter((s) => s.status !== 'ACTIVE');
  const base = computeSignalStats(baseline);
  return CONDITION_KEYS.map((key, i) => {
    onProgress(key, i);
    const weight = config.weights[key];
    const bit = 1 << i;
    // Not validated on purpose: the weights no longer sum to 100, and that is the experiment.
    const without: EngineConfig =
      weight === 0 ? config : { ...config, weights: { ...config.weights, [key]: 0 } };
    const stats =
      weight === 0 ? base : computeSignalStats(runBacktest(candlesBySymbol, without, options).signals);
    return {
      key,
      weight,
      held: split(closed.filter((s) => (s.initialConditionMask & bit) !== 0)),
      notHeld: split(closed.filter((s) => (s.initialConditionMask & bit) === 0)),
      withoutIt: {
        closed: stats.closed,
        expectancyR: stats.expectancyR,
        deltaClosed: stats.closed - base.closed,
        deltaExpectancyR:
          stats.expectancyR === null || base.expectancyR === null
            ? null
            : stats.expectancyR - base.expectancyR,
      },
    };
  });
}
