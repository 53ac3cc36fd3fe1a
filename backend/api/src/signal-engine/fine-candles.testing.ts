import type { Candle } from '@scanner/signal-core';

/**
 * Five 1m candles inside a 5m `parent`, consistent with it (first open = its open, last close = its
 * close, highest high = its high, lowest low = its low): a flat first minute, then the high (`high-first`)
 * or the low, then the other extreme, then two flat minutes at the close. For tests of same-candle
 * ambiguity: with `high-first` a LONG reaches its target before its stop, a SHORT its stop first.
 */
export function minuteChildren(parent: Candle, order: 'high-first' | 'low-first'): Candle[] {
  const { open, high, low, close } = parent;
  const minute = (i: number, o: number, h: number, l: number, c: number): Candle => ({
    openTime: parent.openTime + i * 60_000,
    closeTime: parent.openTime + i * 60_000 + 59_999,
    open: o,
    high: h,
    low: l,
    close: c,
    volume: parent.volume / 5,
  });
  // Minute 2 goes to one extreme and back to the open; minute 3 to the other extreme and ends at the close.
  const [firstExtreme, secondExtreme] = order === 'high-first' ? [high, low] : [low, high];
  const m2 = minute(1, open, Math.max(open, firstExtreme), Math.min(open, firstExtreme), open);
  const m3 = minute(
    2,
    open,
    Math.max(open, close, secondExtreme),
    Math.min(open, close, secondExtreme),
    close,
  );
  return [
    minute(0, open, open, open, open),
    m2,
    m3,
    minute(3, close, close, close, close),
    minute(4, close, close, close, close),
  ];
}
