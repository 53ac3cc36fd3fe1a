import { KlineSequenceError } from '../errors/kline-sequence.error';
import { MalformedCandleError } from '../errors/malformed-candle.error';
import type { BinanceKline, Candle } from './candle.types';
import { timeframeToMs } from './timeframe';

/** `GET /api/v3/klines` rows have exactly this many fields (the last one Binance calls "ignore"). */
export const KLINE_FIELD_COUNT = 12;

/** Binance sends decimals as plain strings ("68249.88000000"); no exponents, no blanks, no numbers. */
const DECIMAL = /^-?\d+(\.\d+)?$/;

export interface KlineParseOptions {
  /** Binance interval of the rows (`5m`, …): a row must close at openTime + interval − 1. */
  readonly interval: string;
  /** Named in error messages. */
  readonly symbol?: string;
  /** The first row must open exactly then (continuity with what the caller already has). */
  readonly expectedFirstOpenTime?: number | null;
  /**
   * `reject` (default): every row must open exactly one interval after the previous one, as a live
   * answer for a range must. `allow`: later rows may skip whole intervals (a file of history with
   * trading halts in it; the engine treats the hole); going back, repeating or leaving the interval
   * grid is still refused.
   */
  readonly gaps?: 'reject' | 'allow';
}

interface RowContext {
  readonly symbol: string | null;
  readonly interval: string;
  readonly step: number;
  readonly row: number;
}

/**
 * Binance opens intervals up to 1d on multiples of their length since the epoch; longer ones (3d,
 * 1w: weeks open on Mondays) follow the calendar, so only the shorter ones are checked.
 */
const ALIGNED_UP_TO_MS = 86_400_000;

/**
 * Why the prices or volume of a candle cannot be used, or null when they can: finite prices,
 * 0 < low ≤ min(open, close), high ≥ max(open, close), volume ≥ 0. One rule set for the parser and
 * the engine's own guard.
 */
export function candleValueProblem(c: Candle): { field: string; reason: string } | null {
  const { open, high, low, close, volume } = c;
  // The usual case in one expression (NaN fails every comparison); the reasons only on failure.
  if (low > 0 && high >= open && high >= close && low <= open && low <= close && volume >= 0) {
    if (high < Infinity && volume < Infinity) return null;
  }
  const values = { open, high, low, close, volume };
  for (const field of ['open', 'high', 'low', 'close', 'volume'] as const) {
    const value = values[field];
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      return { field, reason: `${field} ${value} is not a finite number` };
    }
  }
  if (high < Math.max(open, close)) {
    return { field: 'high', reason: `high ${high} is below max(open ${open}, close ${close})` };
  }
  if (low > Math.min(open, close)) {
    return { field: 'low', reason: `low ${low} is above min(open ${open}, close ${close})` };
  }
  if (low <= 0) return { field: 'low', reason: `low ${low} is not a positive price` };
  return { field: 'volume', reason: `volume ${volume} is negative` };
}

/**
 * Throws MalformedCandleError unless the candle's values are usable (candleValueProblem) and it
 * closes after it opens. The engine calls it on every candle, so the common case is one branch.
 */
export function assertValidCandle(c: Candle): void {
  const { open, high, low, close } = c;
  if (
    low > 0 &&
    high >= open &&
    high >= close &&
    low <= open &&
    low <= close &&
    c.volume >= 0 &&
    high < Infinity &&
    c.volume < Infinity &&
    c.closeTime > c.openTime
  ) {
    return;
  }
  rejectCandle(c);
}

/** The slow path of assertValidCandle, apart so that the check itself stays small enough to inline. */
function rejectCandle(c: Candle): never {
  const problem = candleValueProblem(c) ?? {
    field: 'closeTime',
    reason: `close time ${c.closeTime} is not after open time ${c.openTime}`,
  };
  throw new MalformedCandleError({ ...problem, openTime: c.openTime });
}

function rowError(
  ctx: RowContext,
  openTime: number | null,
  field: string,
  reason: string,
): MalformedCandleError {
  return new MalformedCandleError({
    reason,
    field,
    openTime,
    symbol: ctx.symbol,
    interval: ctx.interval,
    row: ctx.row,
  });
}

function parseRow(row: unknown, ctx: RowContext): BinanceKline {
  if (!Array.isArray(row)) {
    throw rowError(ctx, null, 'row', `row is not an array: ${String(JSON.stringify(row)).slice(0, 80)}`);
  }
  const openTime = Number.isSafeInteger(row[0]) ? (row[0] as number) : null;
  if (row.length !== KLINE_FIELD_COUNT) {
    throw rowError(ctx, openTime, 'row', `expected ${KLINE_FIELD_COUNT} fields, got ${row.length}`);
  }
  if (openTime === null) {
    throw rowError(ctx, null, 'openTime', `open time is not an integer: ${JSON.stringify(row[0])}`);
  }
  const closeTime: unknown = row[6];
  if (!Number.isSafeInteger(closeTime)) {
    throw rowError(ctx, openTime, 'closeTime', `close time is not an integer: ${JSON.stringify(closeTime)}`);
  }
  const kline: BinanceKline = {
    openTime,
    closeTime: closeTime as number,
    open: decimal(row, 1, 'open', ctx, openTime),
    high: decimal(row, 2, 'high', ctx, openTime),
    low: decimal(row, 3, 'low', ctx, openTime),
    close: decimal(row, 4, 'close', ctx, openTime),
    volume: decimal(row, 5, 'volume', ctx, openTime),
    quoteVolume: decimal(row, 7, 'quoteVolume', ctx, openTime),
  };
  const problem = candleValueProblem(kline);
  if (problem !== null) throw rowError(ctx, openTime, problem.field, problem.reason);
  if (kline.quoteVolume < 0) {
    throw rowError(ctx, openTime, 'quoteVolume', `quoteVolume ${kline.quoteVolume} is negative`);
  }
  if (ctx.step <= ALIGNED_UP_TO_MS && openTime % ctx.step !== 0) {
    throw rowError(ctx, openTime, 'openTime', `open time ${openTime} is not on a ${ctx.interval} boundary`);
  }
  if (kline.closeTime !== openTime + ctx.step - 1) {
    throw rowError(
      ctx,
      openTime,
      'closeTime',
      `close time ${kline.closeTime} is not open time + ${ctx.step} − 1`,
    );
  }
  return kline;
}

function decimal(
  row: readonly unknown[],
  index: number,
  name: string,
  ctx: RowContext,
  openTime: number,
): number {
  const text = row[index];
  const value = typeof text === 'string' && DECIMAL.test(text) ? Number(text) : Number.NaN;
  if (!Number.isFinite(value))
    throw rowError(ctx, openTime, name, `${name} is not a decimal string: ${JSON.stringify(text)}`);
  return value;
}

/** One Binance kline row (REST or WebSocket-converted) as a validated candle with its quote volume. */
export function parseBinanceKline(row: unknown, options: KlineParseOptions, index = 0): BinanceKline {
  return parseRow(row, {
    symbol: options.symbol ?? null,
    interval: options.interval,
    step: timeframeToMs(options.interval),
    row: index,
  });
}

/**
 * The one parser of Binance kline answers and files (live market data, backtest, tests): validates
 * every row (parseBinanceKline) and the sequence of open times (KlineParseOptions.gaps), oldest
 * first. All or nothing: throws MalformedCandleError or KlineSequenceError naming the first bad row.
 */
export function parseBinanceKlines(body: unknown, options: KlineParseOptions): BinanceKline[] {
  const symbol = options.symbol ?? null;
  if (!Array.isArray(body)) {
    throw new MalformedCandleError({
      reason: `expected a JSON array of kline rows, got ${body === null ? 'null' : typeof body}`,
      field: 'body',
      symbol,
      interval: options.interval,
    });
  }
  const step = timeframeToMs(options.interval);
  const allowGaps = options.gaps === 'allow';
  const out: BinanceKline[] = new Array(body.length);
  let expected = options.expectedFirstOpenTime ?? null;
  for (let i = 0; i < body.length; i++) {
    const kline = parseRow(body[i], { symbol, interval: options.interval, step, row: i });
    if (expected !== null && kline.openTime !== expected) {
      const later = kline.openTime > expected && (kline.openTime - expected) % step === 0;
      // The first row of a continuation must be exactly the expected one: a hole before it is a gap.
      if (!later || !allowGaps)
        throw new KlineSequenceError(
          later ? 'gap' : 'disorder',
          expected,
          kline.openTime,
          symbol,
          options.interval,
          i,
        );
    }
    out[i] = kline;
    expected = kline.openTime + step;
  }
  return out;
}
