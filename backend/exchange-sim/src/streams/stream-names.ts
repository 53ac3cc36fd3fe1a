import { KlineInterval, isKlineInterval } from '../intervals';

/** A kline stream the simulator serves: `<symbol>@kline_<interval>`, symbol in lower case. */
export interface KlineStreamName {
  name: string;
  /** Upper case, as REST and the payload's `s` spell it. */
  symbol: string;
  interval: KlineInterval;
}

// Binance's stream symbols are lower case; the REST symbol range, lower-cased.
const KLINE_STREAM = /^([a-z0-9-_.]{1,20})@kline_([0-9]{1,2}[smhdwM])$/;

/** Parses a stream name; undefined for anything but a kline stream (other stream types are not served). */
export function parseStreamName(name: string): KlineStreamName | undefined {
  const match = KLINE_STREAM.exec(name);
  if (!match || !isKlineInterval(match[2]!)) return undefined;
  return { name, symbol: match[1]!.toUpperCase(), interval: match[2] };
}

export function klineStreamName(symbol: string, interval: KlineInterval): string {
  return `${symbol.toLowerCase()}@kline_${interval}`;
}
