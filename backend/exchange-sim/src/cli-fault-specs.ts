import { isKlineInterval } from './intervals';
import { ExchangeHaltFault, HoleFault, SymbolStatusFault } from './market-faults';
import { ConnectionDropFault, SkippedFinalFault, StreamStallFault } from './streams/stream-faults';
import { parseStreamName } from './streams/stream-names';
import { toEpochMs } from './virtual-clock';

/**
 * Parsers of the CLI's fault flags. Times are ISO-8601 or epoch ms in exchange time; `a/b` is a
 * period [a, b); a trailing `,STATUS` picks the status shown.
 */

function time(flag: string, text: string): number {
  try {
    return toEpochMs(text);
  } catch {
    throw new Error(`--${flag}: "${text}" is not a time (ISO-8601 or epoch ms)`);
  }
}

function period(flag: string, text: string, open: boolean): { from: number; to?: number } {
  const [from, to, extra] = text.split('/');
  if (extra !== undefined || !from || (!open && !to))
    throw new Error(`--${flag}: expected <from>/<to>, got "${text}"`);
  const start = time(flag, from);
  const end = to ? time(flag, to) : undefined;
  if (end !== undefined && end <= start)
    throw new Error(`--${flag}: the period ends before it starts ("${text}")`);
  return { from: start, to: end };
}

function splitStatus<S extends string>(
  flag: string,
  text: string,
  allowed: readonly S[],
  fallback: S,
): [string, S] {
  const comma = text.lastIndexOf(',');
  if (comma < 0) return [text, fallback];
  const status = text.slice(comma + 1);
  if (!(allowed as readonly string[]).includes(status))
    throw new Error(`--${flag}: status must be one of ${allowed.join(', ')}, got "${status}"`);
  return [text.slice(0, comma), status as S];
}

function atSplit(flag: string, text: string): [string, string] {
  const at = text.indexOf('@');
  if (at <= 0) throw new Error(`--${flag}: expected <name>@<time>, got "${text}"`);
  return [text.slice(0, at), text.slice(at + 1)];
}

/** `--hole BTCUSDT:5m@<from>/<to>`, `--hole BTCUSDT@…` (every interval), `--hole '*@…'` (every symbol). */
export function parseHole(text: string): HoleFault {
  const [target, when] = atSplit('hole', text);
  const [symbol, interval, extra] = target.split(':');
  if (extra !== undefined || (interval !== undefined && !isKlineInterval(interval))) {
    throw new Error(`--hole: expected <SYMBOL|*>[:<interval>]@<from>/<to>, got "${text}"`);
  }
  const { from, to } = period('hole', when, false);
  return { ...(symbol === '*' ? {} : { symbol }), ...(interval ? { interval } : {}), from, to: to! };
}

/** `--halt <from>/<to>[,HALT|BREAK]`: the whole exchange. */
export function parseHalt(text: string): ExchangeHaltFault {
  const [when, status] = splitStatus('halt', text, ['HALT', 'BREAK'] as const, 'BREAK');
  const { from, to } = period('halt', when, false);
  return { from, to: to!, status };
}

/** `--delist SYMBOL@<at>[/<until>]` and `--symbol-halt SYMBOL@<at>[/<until>][,HALT|BREAK]`. */
export function parseSymbolEvent(flag: 'delist' | 'symbol-halt', text: string): SymbolStatusFault {
  const [rest, status] =
    flag === 'delist'
      ? [text, 'DELISTED' as const]
      : splitStatus(flag, text, ['HALT', 'BREAK'] as const, 'HALT');
  const [symbol, when] = atSplit(flag, rest);
  const { from, to } = period(flag, when, true);
  return { symbol, at: from, ...(to !== undefined ? { until: to } : {}), status };
}

function streamName(flag: string, name: string): string {
  if (!parseStreamName(name))
    throw new Error(`--${flag}: "${name}" is not a kline stream name (e.g. btcusdt@kline_1m)`);
  return name;
}

/** `--ws-stall btcusdt@kline_1m@<from>[/<to>]`. */
export function parseStall(text: string): StreamStallFault {
  const at = text.lastIndexOf('@');
  const stream = streamName('ws-stall', text.slice(0, at));
  const { from, to } = period('ws-stall', text.slice(at + 1), true);
  return { stream, from, ...(to !== undefined ? { to } : {}) };
}

/** `--ws-skip-final btcusdt@kline_1m@<openTime>`. */
export function parseSkippedFinal(text: string): SkippedFinalFault {
  const at = text.lastIndexOf('@');
  return {
    stream: streamName('ws-skip-final', text.slice(0, at)),
    openTime: time('ws-skip-final', text.slice(at + 1)),
  };
}

export function parseDrop(text: string): ConnectionDropFault {
  return { at: time('ws-drop-at', text) };
}
