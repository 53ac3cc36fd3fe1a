/** Where a bad kline was found and what was wrong with it; unknown parts are null. */
export interface MalformedCandleDetails {
  /** What is wrong, starting with the field, e.g. `close is not a decimal string: "abc"`. */
  readonly reason: string;
  readonly openTime?: number | null;
  readonly symbol?: string | null;
  readonly interval?: string | null;
  /** Index of the row in the answer or file (0-based). */
  readonly row?: number | null;
  /** The offending field (`open`, `closeTime`, `row`, …). */
  readonly field?: string | null;
}

/** A kline that cannot be used: wrong shape, non-numeric or inconsistent values. */
export class MalformedCandleError extends Error {
  readonly reason: string;
  readonly openTime: number | null;
  readonly symbol: string | null;
  readonly interval: string | null;
  readonly row: number | null;
  readonly field: string | null;

  constructor(details: MalformedCandleDetails) {
    const series = details.symbol
      ? `${details.symbol} ${details.interval ?? ''}`.trimEnd() + ': '
      : details.interval
        ? `${details.interval}: `
        : '';
    const at =
      details.openTime === null || details.openTime === undefined ? '' : ` at ${isoOrRaw(details.openTime)}`;
    const row = details.row === null || details.row === undefined ? '' : ` (row ${details.row})`;
    super(`${series}invalid kline${at}: ${details.reason}${row}`);
    this.name = 'MalformedCandleError';
    this.reason = details.reason;
    this.openTime = details.openTime ?? null;
    this.symbol = details.symbol ?? null;
    this.interval = details.interval ?? null;
    this.row = details.row ?? null;
    this.field = details.field ?? null;
  }
}

/** An ISO time for a plausible epoch-ms value, else the raw number (a garbage time must still print). */
export function isoOrRaw(ms: number): string {
  return Number.isFinite(ms) && Math.abs(ms) < 8.64e15 ? new Date(ms).toISOString() : String(ms);
}
