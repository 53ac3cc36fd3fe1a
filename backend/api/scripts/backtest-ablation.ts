/**
 * signal-core's runAblation with its re-runs on a replayer the caller already holds (the CLI's
 * BacktestThreadPool, loaded once with the series, so the eight re-runs use every core): the same
 * table, figure for figure.
 */
import {
  ablationRow,
  CONDITION_KEYS,
  computeSignalStats,
  splitByCondition,
  withoutCondition,
  type BacktestResult,
  type ConditionAblation,
  type ConditionKey,
  type EngineConfig,
  type Signal,
} from '@scanner/signal-core';

/** Replays the loaded series with a configuration: runBacktest's result over them. */
export type Replay = (config: EngineConfig) => Promise<BacktestResult>;

/**
 * What each of the eight conditions contributes (see runAblation): the baseline's closed signals split
 * by whether it held at creation, and a replay with its weight at 0 (not renormalised), one after the
 * other. `baseline` is the replay of `config`; `onProgress` is told each condition as it starts.
 */
export async function ablationOnReplays(
  replay: Replay,
  config: EngineConfig,
  baseline: readonly Signal[],
  onProgress: (key: ConditionKey, index: number) => void = () => undefined,
): Promise<ConditionAblation[]> {
  const splits = splitByCondition(baseline);
  const base = computeSignalStats(baseline);
  const table: ConditionAblation[] = [];
  for (const [i, key] of CONDITION_KEYS.entries()) {
    onProgress(key, i);
    const weight = config.weights[key];
    // Not validated on purpose: the weights no longer sum to 100, and that is the experiment.
    const stats =
      weight === 0 ? base : computeSignalStats((await replay(withoutCondition(config, key))).signals);
    table.push(ablationRow(splits[i], weight, base, stats));
  }
  return table;
}
