import type { Candle } from '../candles/candle.types';
import { timeframeFromMs } from '../candles/timeframe';
import { SignalEngine } from '../lifecycle/signal-engine';
import type { CandleGapEvent, Signal } from '../lifecycle/signal.types';
import { DEFAULT_ENGINE_CONFIG, type EngineConfig } from '../scoring/engine-config';
import { computeOutcomeStats, type OutcomeStats } from './outcome-stats';

export interface BacktestOptions {
  /** Timeframe of the candles (for ids and the interval); derived from the first candle if omitted. */
  readonly timeframe?: string;
}

export interface BacktestReport extends OutcomeStats {
  readonly candles: number;
  readonly gaps: number;
  readonly perSymbol: Readonly<Record<string, OutcomeStats>>;
}

export interface BacktestResult {
  /** The final state of every signal, in creation order per symbol, symbols sorted. */
  readonly signals: Signal[];
  readonly gaps: CandleGapEvent[];
  readonly report: BacktestReport;
}

/**
 * Runs the live engine (SignalEngine.onClosedCandle, the very same code) over historical closed
 * candles, symbol by symbol in sorted order, and reports the outcomes. Pure: same input, same output.
 */
export function runBacktest(
  candlesBySymbol: Readonly<Record<string, readonly Candle[]>>,
  config: EngineConfig = DEFAULT_ENGINE_CONFIG,
  options: BacktestOptions = {},
): BacktestResult {
  const signals: Signal[] = [];
  const gaps: CandleGapEvent[] = [];
  const perSymbol: Record<string, OutcomeStats> = {};
  let candleCount = 0;
  for (const symbol of Object.keys(candlesBySymbol).sort()) {
    const candles = candlesBySymbol[symbol];
    if (candles.length === 0) continue;
    const timeframe = options.timeframe ?? timeframeFromMs(candles[0].closeTime - candles[0].openTime + 1);
    const engine = new SignalEngine({ symbol, timeframe, config });
    const mine: Signal[] = [];
    let current = -1;
    for (let i = 0; i < candles.length; i++) {
      const events = engine.onClosedCandle(candles[i]);
      for (let e = 0; e < events.length; e++) {
        const event = events[e];
        if (event.type === 'gap') gaps.push(event);
        else if (event.type === 'created') current = mine.push(event.signal) - 1;
        else mine[current] = event.signal;
      }
    }
    candleCount += candles.length;
    perSymbol[symbol] = computeOutcomeStats(mine);
    for (const s of mine) signals.push(s);
  }
  return { signals, gaps, report: { ...computeOutcomeStats(signals), candles: candleCount, gaps: gaps.length, perSymbol } };
}
