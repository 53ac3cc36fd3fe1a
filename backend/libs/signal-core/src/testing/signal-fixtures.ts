import type { Candle } from '../candles/candle.types';
import { SignalEngine, type SignalEngineOptions } from '../lifecycle/signal-engine';
import type { EngineEvent, Signal, SignalChangeEvent } from '../lifecycle/signal.types';
import { resolveEngineConfig, type EngineConfigOverrides } from '../scoring/validate-engine-config';
import { trendCandles } from './synthetic-candles';

/** Test-only: an engine for TESTUSDT 5m with `overrides` on the default config. */
export const engineWith = (
  overrides: EngineConfigOverrides = {},
  options: Partial<SignalEngineOptions> = {},
) =>
  new SignalEngine({
    symbol: 'TESTUSDT',
    timeframe: '5m',
    config: resolveEngineConfig(overrides),
    ...options,
  });

export function feed(engine: SignalEngine, candles: readonly Candle[]): EngineEvent[] {
  return candles.flatMap((c) => [...engine.onClosedCandle(c)]);
}

/** Warm trend until the engine creates its signal; returns it, the next free slot and the trigger candle. */
function withSignal(
  direction: 1 | -1,
  overrides: EngineConfigOverrides,
  options: Partial<SignalEngineOptions>,
) {
  const engine = engineWith(overrides, options);
  const candles = trendCandles(260, direction, direction === 1 ? 1000 : 2000);
  for (let i = 0; i < candles.length; i++) {
    const created = engine
      .onClosedCandle(candles[i])
      .find((e): e is SignalChangeEvent => e.type === 'created');
    if (created) return { engine, signal: created.signal, slot: i + 1, last: candles[i] };
  }
  throw new Error('no signal created');
}

export const withLongSignal = (
  overrides: EngineConfigOverrides = {},
  options: Partial<SignalEngineOptions> = {},
) => withSignal(1, overrides, options);
export const withShortSignal = (
  overrides: EngineConfigOverrides = {},
  options: Partial<SignalEngineOptions> = {},
) => withSignal(-1, overrides, options);

/** The single event of `events` (fails the test otherwise). */
export function only(events: readonly EngineEvent[]): { type: string; signal: Signal } {
  if (events.length !== 1)
    throw new Error(`expected exactly one event, got ${JSON.stringify(events.map((e) => e.type))}`);
  return events[0] as { type: string; signal: Signal };
}
