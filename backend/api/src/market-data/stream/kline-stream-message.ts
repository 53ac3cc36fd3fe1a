import { intervalMs } from '../interval-ms';
import type { MarketCandle } from '../market-candle';

/** One kline update from a Binance kline stream, parsed and checked. */
export interface KlineUpdate {
  /** The combined-stream name, e.g. `btcusdt@kline_5m`. */
  stream: string;
  symbol: string;
  interval: string;
  /** Exchange time of the push (`E`), epoch ms. */
  eventTime: number;
  /** `x`: the final update of the candle, sent once when it closes. */
  final: boolean;
  candle: MarketCandle;
}

/** A stream message that is not a usable kline update; it names the stream and the field. */
export class InvalidStreamMessageError extends Error {
  constructor(
    readonly stream: string | null,
    readonly reason: string,
  ) {
    super(`kline stream${stream === null ? '' : ` ${stream}`}: ${reason}; message ignored`);
    this.name = 'InvalidStreamMessageError';
  }
}

/** `btcusdt@kline_5m` for BTCUSDT 5m: stream names are lower-case symbols (Binance WSS rules). */
export function klineStreamName(symbol: string, interval: string): string {
  return `${symbol.toLowerCase()}@kline_${interval}`;
}

/** What a parsed control reply or event from a combined stream connection is. */
export type StreamMessage =
  | { kind: 'kline'; update: KlineUpdate }
  | { kind: 'reply'; id: number | string | null; result: unknown }
  | { kind: 'error'; id: number | string | null; code: number | null; msg: string }
  | { kind: 'serverShutdown'; eventTime: number | null }
  | { kind: 'other'; stream: string | null };

/**
 * Reads one text frame of a combined-stream connection (`{stream, data}`), a reply to a control
 * message (`{result, id}`), an error (`{error: {code, msg}, id}`) or `serverShutdown`. A kline payload
 * is validated as strictly as a REST row: a frame that fails is an InvalidStreamMessageError, never a
 * candle.
 */
export function parseStreamMessage(text: string): StreamMessage {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new InvalidStreamMessageError(null, 'not JSON');
  }
  if (!isRecord(body)) throw new InvalidStreamMessageError(null, 'not a JSON object');
  if ('error' in body && isRecord(body.error)) {
    const code = typeof body.error.code === 'number' ? body.error.code : null;
    return { kind: 'error', id: idOf(body.id), code, msg: String(body.error.msg ?? 'unknown error') };
  }
  if ('result' in body && 'id' in body) return { kind: 'reply', id: idOf(body.id), result: body.result };
  const stream = typeof body.stream === 'string' ? body.stream : null;
  const data = stream === null ? body : body.data;
  if (!isRecord(data)) throw new InvalidStreamMessageError(stream, '`data` is not an object');
  if (data.e === 'serverShutdown')
    return { kind: 'serverShutdown', eventTime: typeof data.E === 'number' ? data.E : null };
  if (data.e !== 'kline') return { kind: 'other', stream };
  return { kind: 'kline', update: parseKline(stream, data) };
}

function parseKline(stream: string | null, data: Record<string, unknown>): KlineUpdate {
  const k = data.k;
  const fail = (reason: string): never => {
    throw new InvalidStreamMessageError(stream, reason);
  };
  if (!isRecord(k)) return fail('`k` is not an object');
  const symbol =
    typeof k.s === 'string' && /^[A-Z0-9-_.]{1,20}$/.test(k.s) ? k.s : fail('`k.s` is not a symbol');
  const interval = typeof k.i === 'string' ? k.i : fail('`k.i` is missing');
  let step: number;
  try {
    step = intervalMs(interval);
  } catch {
    return fail(`unsupported interval ${JSON.stringify(k.i)}`);
  }
  const name = klineStreamName(symbol, interval);
  if (stream !== null && stream !== name) fail(`payload is ${name}, not the stream it came on`);
  const openTime = integer(k.t, 'k.t', fail);
  const closeTime = integer(k.T, 'k.T', fail);
  if (openTime % step !== 0) fail(`open time ${openTime} is not on a ${interval} boundary`);
  if (closeTime !== openTime + step - 1)
    fail(`close time ${closeTime} is not open time + ${interval} − 1 ms`);
  const open = decimal(k.o, 'k.o', fail);
  const high = decimal(k.h, 'k.h', fail);
  const low = decimal(k.l, 'k.l', fail);
  const close = decimal(k.c, 'k.c', fail);
  const volume = decimal(k.v, 'k.v', fail);
  const quoteVolume = decimal(k.q, 'k.q', fail);
  if (open <= 0 || high <= 0 || low <= 0 || close <= 0) fail('a price is not positive');
  if (high < Math.max(open, close, low) || low > Math.min(open, close))
    fail('high/low do not contain open and close');
  if (typeof k.x !== 'boolean') fail('`k.x` is not a boolean');
  const eventTime = integer(data.E, 'E', fail);
  return {
    stream: name,
    symbol,
    interval,
    eventTime,
    final: k.x as boolean,
    candle: { openTime, closeTime, open, high, low, close, volume, quoteVolume },
  };
}

function integer(value: unknown, field: string, fail: (reason: string) => never): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0)
    return fail(`\`${field}\` is not a time in ms`);
  return value;
}

function decimal(value: unknown, field: string, fail: (reason: string) => never): number {
  if (typeof value !== 'string' || !/^\d+(\.\d+)?$/.test(value))
    return fail(`\`${field}\` is not a decimal string`);
  return Number(value);
}

function idOf(value: unknown): number | string | null {
  return typeof value === 'number' || typeof value === 'string' ? value : null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
