import type { IndicatorSetState } from '../indicators/indicator-set';
import { CONDITION_KEYS } from '../scoring/condition-key';
import type { Signal } from './signal.types';

/** JSON-safe engine state: `SignalEngine.restore(JSON.parse(JSON.stringify(engine.snapshot())))`. */
export interface SignalEngineSnapshot {
  readonly format: 'signal-engine/1';
  readonly symbol: string;
  readonly timeframe: string;
  readonly lastOpenTime: number | null;
  readonly lastSignalCloseOpenTime: number | null;
  readonly candles: number;
  readonly ignoredCandles: number;
  readonly gaps: number;
  readonly indicators: IndicatorSetState;
  readonly active: { readonly signal: Signal; readonly best: number; readonly worst: number } | null;
}

export interface SignalEngineStats {
  /** Closed candles processed. */
  readonly candles: number;
  /** Late or duplicate closed candles that were ignored. */
  readonly ignoredCandles: number;
  /** Gaps detected (each resets the indicators). */
  readonly gaps: number;
}

/**
 * An active signal from a snapshot taken before the engine had initialConfidence, the creation
 * mask, costs and resolution: the best values it can still have (the current confidence and
 * breakdown stand in for the ones at creation).
 */
export function withLaterFields(signal: Signal): Signal {
  if (signal.initialConditionMask !== undefined && signal.netR !== undefined) return signal;
  const mask = CONDITION_KEYS.reduce(
    (m, key, i) => (signal.conditions.some((c) => c.key === key && c.met) ? m | (1 << i) : m),
    0,
  );
  return {
    ...signal,
    initialConfidence: signal.initialConfidence ?? signal.confidence,
    initialConditionMask: signal.initialConditionMask ?? mask,
    grossR: signal.grossR ?? null,
    netR: signal.netR ?? null,
    resolution: signal.resolution ?? null,
    closeReason: signal.closeReason ?? null,
  };
}
