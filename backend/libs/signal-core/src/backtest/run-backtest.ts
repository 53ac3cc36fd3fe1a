import type { Candle } from '../candles/candle.types';
import { timeframeFromMs } from '../candles/timeframe';
import { SignalEngine } from '../lifecycle/signal-engine';
import type { CandleGapEvent, Signal } from '../lifecycle/signal.types';
import { DEFAULT_ENGINE_CONFIG, type EngineConfig } from '../scoring/engine-config';
import { computeSignalStats, type SignalStats } from '../stats/signal-stats';
import { fineCandleSource } from './fine-candle-source';

export interface BacktestOptions {
  /** Timeframe of the candles (for ids and the interval); derived from the first candle if omitted. */
  readonly timeframe?: string;
  /**
   * Finer candles per symbol (e.g. 1m), sorted by open time: a candle that touched both levels is
   * decided by them (resolution `fine`) where they cover it, else as SL (`conservative`).
   */
  readonly fineCandles?: Readonly<Record<string, readonly Candle[]>>;
}

export interface BacktestReport extends SignalStats {
  readonly candles: number;
  readonly gaps: number;
  /** How candles that touched both levels were decided. */
  readonly resolutions: { readonly fine: number; readonly conservative: number };
  readonly perSymbol: Readonly<Record<string, SignalStats>>;
}

export interface BacktestResult {
  /** The final state of every signal, in creation order per symbol, symbols sorted. */
  readonly signals: Signal[];
  readonly gaps: CandleGapEvent[];
  readonly report: BacktestReport;
}

/**
 * Runs the live engine (SignalEngine.onClosedCandle, the very same code, holes and all) over
 * historical closed candles, symbol by symbol in sorted order, and reports the outcomes with the
 * one statistics implementation. Pure: same input, same output.
 */
export function runBacktest(
  candlesBySymbol: Readonly<Record<string, readonly Candle[]>>,
  config: EngineConfig = DEFAULT_ENGINE_CONFIG,
  options: BacktestOptions = {},
): BacktestResult {
  const signals: Signal[] = [];
  const gaps: CandleGapEvent[] = [];
  const perSymbol: Record<string, SignalStats> = {};
  const fineCandles = options.fineCandles === undefined ? undefined : fineCandleSource(options.fineCandles);
  const resolutions = { fine: 0, conservative: 0 };
  let candleCount = 0;
  for (const symbol of Object.keys(candlesBySymbol).sort()) {
    const candles = candlesBySymbol[symbol];
    if (candles.length === 0) continue;
    const timeframe = options.timeframe ?? timeframeFromMs(candles[0].closeTime - candles[0].openTime + 1);
    const engine = new SignalEngine({ symbol, timeframe, config, fineCandles });
    const mine: Signal[] = [];
    let current = -1;
    for (let i = 0; i < candles.length; i++) {
      const events = engine.onClosedCandle(candles[i]);
      for (let e = 0; e < events.length; e++) {
        const event = events[e];
        if (event.type === 'gap') gaps.push(event);
        else if (event.type === 'created') current = mine.push(event.signal) - 1;
        else {
          mine[current] = event.signal;
          if (event.type === 'closed' && event.signal.resolution !== null)
            resolutions[event.signal.resolution]++;
        }
      }
    }
    candleCount += candles.length;
    perSymbol[symbol] = computeSignalStats(mine);
    for (const s of mine) signals.push(s);
  }
  return {
    signals,
    gaps,
    report: {
      ...computeSignalStats(signals),
      candles: candleCount,
      gaps: gaps.length,
      resolutions,
      perSymbol,
    },
  };
}
