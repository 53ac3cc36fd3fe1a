import type { Candle } from '../candles/candle.types';

export const T0 = Date.UTC(2024, 7, 5, 0, 0, 0);
export const FIVE_MINUTES = 300_000;

/** Test-only: a 5m candle at slot `i` (open time T0 + i × 5m). */
export function candleAt(i: number, open: number, high: number, low: number, close: number): Candle {
  return {
    openTime: T0 + i * FIVE_MINUTES,
    closeTime: T0 + (i + 1) * FIVE_MINUTES - 1,
    open,
    high,
    low,
    close,
    volume: 1,
  };
}

/**
 * A zig-zag trend (+2.0 / −1.2 per candle, times `direction`): RSI ≈ 62 (or 38), EMAs stacked,
 * ADX high — every condition but macd_cross holds once warm, so confidence is 80.
 */
export function trendCandles(count: number, direction: 1 | -1 = 1, start = 1000, fromSlot = 0): Candle[] {
  const out: Candle[] = [];
  let price = start;
  for (let i = 0; i < count; i++) {
    const move = direction * (i % 2 === 0 ? 2 : -1.2);
    const open = price;
    const close = price + move;
    out.push(candleAt(fromSlot + i, open, Math.max(open, close) + 0.3, Math.min(open, close) - 0.3, close));
    price = close;
  }
  return out;
}

/** Candles that continue from `price` without moving much: range ±0.1 around it. */
export function quietCandles(count: number, price: number, fromSlot: number): Candle[] {
  return Array.from({ length: count }, (_, i) =>
    candleAt(fromSlot + i, price, price + 0.1, price - 0.1, price + (i % 2 === 0 ? 0.05 : -0.05)),
  );
}
