import type { Direction } from '../scoring/condition-key';

export interface PriceExit {
  status: 'TP_HIT' | 'SL_HIT';
  price: number;
}

/**
 * Whether a candle (or the still-open candle so far) reaches the stop or the target.
 * - A candle that OPENS beyond a level exits at the open: the level was jumped and the open is the
 *   first price anyone could have traded (worse than the stop for SL, better than the target for TP).
 * - Otherwise a touched level exits at the level itself.
 * - When one candle touches both and the order is unknown, SL wins (conservative, DESIGN §6).
 * Returns null when neither is reached.
 */
export function checkPriceExit(
  direction: Direction,
  stopLoss: number,
  takeProfit: number,
  open: number,
  high: number,
  low: number,
): PriceExit | null {
  if (direction === 'LONG') {
    if (open <= stopLoss) return { status: 'SL_HIT', price: open };
    if (open >= takeProfit) return { status: 'TP_HIT', price: open };
    if (low <= stopLoss) return { status: 'SL_HIT', price: stopLoss };
    if (high >= takeProfit) return { status: 'TP_HIT', price: takeProfit };
  } else {
    if (open >= stopLoss) return { status: 'SL_HIT', price: open };
    if (open <= takeProfit) return { status: 'TP_HIT', price: open };
    if (high >= stopLoss) return { status: 'SL_HIT', price: stopLoss };
    if (low <= takeProfit) return { status: 'TP_HIT', price: takeProfit };
  }
  return null;
}
