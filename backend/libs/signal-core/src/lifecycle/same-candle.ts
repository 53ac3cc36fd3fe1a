import type { Candle } from '../candles/candle.types';
import type { Direction } from '../scoring/condition-key';
import { checkPriceExit, type PriceExit } from './price-exit';
import type { SameCandleResolution } from './signal.types';

/** The time span of one candle of a series, for which finer candles are asked. */
export interface CandleSpan {
  readonly symbol: string;
  readonly timeframe: string;
  readonly openTime: number;
  readonly closeTime: number;
}

/**
 * Finer candles (e.g. 1m) covering `span`, oldest first, or null when the caller has none. It must
 * answer the same for the same span every time (the engine stays deterministic); the backtest passes
 * the 1m candles of its data folder, live the exchange's.
 */
export type FineCandleSource = (span: CandleSpan) => readonly Candle[] | null;

export interface SameCandleDecision {
  readonly exit: PriceExit;
  readonly resolution: SameCandleResolution;
  /** The range lived through up to the decision (the excursions must not see what came after). */
  readonly high: number;
  readonly low: number;
}

/** Whether a candle's range reaches both the stop and the target. */
export function touchesBoth(
  direction: Direction,
  stopLoss: number,
  takeProfit: number,
  high: number,
  low: number,
): boolean {
  return direction === 'LONG' ? low <= stopLoss && high >= takeProfit : high >= stopLoss && low <= takeProfit;
}

/**
 * Whether the engine will ask for finer candles when this closed candle meets an active signal with
 * these levels: the price check gives SL at the stop (not a jump through it at the open) and the
 * candle's range also reaches the target. The same test the engine makes before it calls its
 * FineCandleSource, so a caller can fetch finer candles for exactly those candles beforehand.
 */
export function needsFineCandles(
  direction: Direction,
  stopLoss: number,
  takeProfit: number,
  candle: { open: number; high: number; low: number },
): boolean {
  const exit = checkPriceExit(direction, stopLoss, takeProfit, candle.open, candle.high, candle.low);
  return (
    exit !== null &&
    exit.status === 'SL_HIT' &&
    exit.price === stopLoss &&
    candle.open !== stopLoss &&
    touchesBoth(direction, stopLoss, takeProfit, candle.high, candle.low)
  );
}

/**
 * Decides a candle that touched both levels from finer candles inside its span: the first finer
 * candle that reaches a level decides, at the price checkPriceExit gives it. A finer candle that
 * itself touches both, or no finer candle touching either, leaves the order unknown: SL at the
 * stop (conservative, DESIGN §6).
 */
export function decideSameCandle(
  direction: Direction,
  stopLoss: number,
  takeProfit: number,
  span: CandleSpan,
  candle: { high: number; low: number },
  fine: readonly Candle[] | null,
): SameCandleDecision {
  let high = -Infinity;
  let low = Infinity;
  if (fine !== null) {
    for (const f of fine) {
      if (f.openTime < span.openTime || f.openTime > span.closeTime) continue;
      if (f.high > high) high = f.high;
      if (f.low < low) low = f.low;
      const exit = checkPriceExit(direction, stopLoss, takeProfit, f.open, f.high, f.low);
      if (exit === null) continue;
      const ambiguous =
        exit.price === stopLoss &&
        exit.status === 'SL_HIT' &&
        touchesBoth(direction, stopLoss, takeProfit, f.high, f.low);
      if (ambiguous) break;
      return { exit, resolution: 'fine', high, low };
    }
  }
  return {
    exit: { status: 'SL_HIT', price: stopLoss },
    resolution: 'conservative',
    high: candle.high,
    low: candle.low,
  };
}
