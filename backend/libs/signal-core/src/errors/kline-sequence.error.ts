import { isoOrRaw } from './malformed-candle.error';

/**
 * Klines whose open times do not follow each other as required: `gap` when a row opens later than
 * the next expected candle (only an error where the caller asked for a continuous answer),
 * `disorder` when a row opens at or before the previous one or off the interval's grid.
 */
export class KlineSequenceError extends Error {
  constructor(
    readonly kind: 'gap' | 'disorder',
    readonly expectedOpenTime: number,
    readonly actualOpenTime: number,
    readonly symbol: string | null,
    readonly interval: string,
    readonly row: number,
  ) {
    const series = `${symbol === null ? '' : `${symbol} `}${interval}: `;
    const what =
      kind === 'gap'
        ? `gap in candles: expected open time ${isoOrRaw(expectedOpenTime)}, got ${isoOrRaw(actualOpenTime)}`
        : `candles out of order: expected an open time on the ${interval} grid from ${isoOrRaw(expectedOpenTime)}, got ${isoOrRaw(actualOpenTime)}`;
    super(`${series}${what} (row ${row})`);
    this.name = 'KlineSequenceError';
  }
}
