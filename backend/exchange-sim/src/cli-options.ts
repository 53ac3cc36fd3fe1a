import { parseArgs } from 'node:util';
import {
  parseDrop,
  parseHalt,
  parseHole,
  parseSkippedFinal,
  parseStall,
  parseSymbolEvent,
} from './cli-fault-specs';
import { ExchangeSimOptions } from './exchange-sim';
import { SERVER_ERROR_KINDS, ServerErrorKind } from './fault-injector';
import { KlineInterval, isKlineInterval } from './intervals';
import { toEpochMs } from './virtual-clock';

export const CLI_HELP = `exchange-sim — local Binance-compatible spot market-data server replaying real candles

Usage: exchange-sim [options]

Data and time
  --data <dir>              folder of <SYMBOL>-<interval>.json[.gz] files (default: bundled data)
  --symbols <A,B>           load only these symbols
  --intervals <5m,1h>       load only these intervals
  --start <time>            virtual start, ISO-8601 or epoch ms (default: 1000 candles into the data)
  --speed <n>               virtual ms per real ms (default 1; 60 = one virtual minute per second)
  --paused                  start with the virtual clock stopped
  --time-offset <ms>        served time = data time + offset (rounded to the largest interval)
  --shift-to-now            map --start (a data time) onto the current wall clock: served times are current
  --synthetic-symbols <n>   add n cloned symbols SYM001USDT… (scaled copies of real series)
  --universe-test-symbols   add stablecoin, leveraged, non-USDT and BREAK/HALT symbols (exchangeInfo/ticker only)

Server
  --host <addr>             default 127.0.0.1
  --port <n>                default 9100; 0 = ephemeral
  --weight-limit <n>        REQUEST_WEIGHT per minute per IP (default 6000)
  --weight-clock real|virtual  calendar minutes follow the wall clock (default) or the virtual clock

Faults (seeded, reproducible)
  --seed <n>                PRNG seed (default 1)
  --latency <ms>            added latency per response (default 0)
  --jitter <ms>             latency ± jitter (default 0)
  --error-rate <0..1>       chance of a 5xx per request
  --error-kinds <list>      from ${SERVER_ERROR_KINDS.join(',')} (default all)
  --hang-rate <0..1>        chance a request hangs
  --hang-ms <ms>            a hang answers after this long (default: never)
  --malformed-rate <0..1>   chance of a truncated JSON body

Market faults (exchange time: ISO-8601 or epoch ms; each flag may repeat)
  --hole <S|*>[:<iv>]@<from>/<to>   no candles of that series (symbol, all its intervals, or '*' = all) in [from, to)
  --halt <from>/<to>[,BREAK|HALT]   whole-exchange halt: no candles, every symbol shows the status (default BREAK)
  --delist <SYMBOL>@<at>[/<until>]  symbol gone from exchangeInfo, -1121 for klines/ticker (back at <until>)
  --symbol-halt <SYMBOL>@<at>[/<until>][,HALT|BREAK]  listed with that status (default HALT), -1121 for klines/ticker
  --clock-offset=<ms>       the exchange's clock runs ms ahead (+) or behind (-) the virtual clock, e.g. --clock-offset=-300

Streams (kline WebSocket streams on the REST port unless --ws-port)
  --ws-port <n>             serve the streams on their own port (0 = ephemeral)
  --ws-lifetime-notice <ms> send serverShutdown this long before a connection's 24 h end (default: no notice)
  --ws-stall <stream>@<from>[/<to>]      the stream goes silent (e.g. btcusdt@kline_1m@2024-08-04T02:00:00Z)
  --ws-skip-final <stream>@<openTime>    the final kline (x:true) of that candle is never sent
  --ws-drop-at <time>       every stream connection is dropped (TCP reset) at that exchange time

  -h, --help                this text
`;

export interface CliParseResult {
  help: boolean;
  options: ExchangeSimOptions;
}

export function parseCliArgs(argv: string[], wallNow: number = Date.now()): CliParseResult {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      data: { type: 'string' },
      symbols: { type: 'string' },
      intervals: { type: 'string' },
      start: { type: 'string' },
      speed: { type: 'string' },
      paused: { type: 'boolean' },
      'time-offset': { type: 'string' },
      'shift-to-now': { type: 'boolean' },
      'synthetic-symbols': { type: 'string' },
      'universe-test-symbols': { type: 'boolean' },
      host: { type: 'string' },
      port: { type: 'string' },
      'weight-limit': { type: 'string' },
      'weight-clock': { type: 'string' },
      seed: { type: 'string' },
      latency: { type: 'string' },
      jitter: { type: 'string' },
      'error-rate': { type: 'string' },
      'error-kinds': { type: 'string' },
      'hang-rate': { type: 'string' },
      'hang-ms': { type: 'string' },
      'malformed-rate': { type: 'string' },
      hole: { type: 'string', multiple: true },
      halt: { type: 'string', multiple: true },
      delist: { type: 'string', multiple: true },
      'symbol-halt': { type: 'string', multiple: true },
      'clock-offset': { type: 'string' },
      'ws-port': { type: 'string' },
      'ws-lifetime-notice': { type: 'string' },
      'ws-stall': { type: 'string', multiple: true },
      'ws-skip-final': { type: 'string', multiple: true },
      'ws-drop-at': { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return { help: true, options: {} };
  const num = (name: string, value: string | undefined, min = 0, max = Infinity): number | undefined => {
    if (value === undefined) return undefined;
    const n = Number(value);
    if (!Number.isFinite(n) || n < min || n > max)
      throw new Error(`--${name} must be a number in [${min}, ${max}], got "${value}"`);
    return n;
  };
  const list = (value: string | undefined) =>
    value
      ?.split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  const intervals = list(values.intervals);
  for (const interval of intervals ?? [])
    if (!isKlineInterval(interval)) throw new Error(`--intervals: unknown interval "${interval}"`);
  const errorKinds = list(values['error-kinds']);
  for (const kind of errorKinds ?? []) {
    if (!(SERVER_ERROR_KINDS as readonly string[]).includes(kind))
      throw new Error(`--error-kinds: unknown kind "${kind}"`);
  }
  const weightClock = values['weight-clock'];
  if (weightClock !== undefined && weightClock !== 'real' && weightClock !== 'virtual') {
    throw new Error(`--weight-clock must be real or virtual, got "${weightClock}"`);
  }
  const start = values.start === undefined ? undefined : toEpochMs(values.start);
  if (values['shift-to-now'] && start === undefined)
    throw new Error('--shift-to-now needs --start (the data time to map onto now)');
  const timeOffset = values['shift-to-now']
    ? { mapDataTime: start!, to: wallNow }
    : num('time-offset', values['time-offset'], -Infinity);
  const hangMs = num('hang-ms', values['hang-ms']);
  const options: ExchangeSimOptions = {
    dataDir: values.data,
    symbols: list(values.symbols),
    intervals: intervals as KlineInterval[] | undefined,
    host: values.host,
    port: num('port', values.port ?? '9100', 0, 65535),
    clock: {
      startTime: values['shift-to-now'] ? wallNow : start,
      speed: num('speed', values.speed),
      paused: values.paused ?? false,
    },
    timeOffset,
    syntheticSymbols: num('synthetic-symbols', values['synthetic-symbols']),
    extraSymbols: values['universe-test-symbols'] ? 'universe-test' : undefined,
    weightLimit: num('weight-limit', values['weight-limit'], 1),
    weightClock,
    faults: {
      seed: num('seed', values.seed) ?? 1,
      latencyMs: num('latency', values.latency) ?? 0,
      jitterMs: num('jitter', values.jitter) ?? 0,
      errorRate: num('error-rate', values['error-rate'], 0, 1) ?? 0,
      ...(errorKinds ? { errorKinds: errorKinds as ServerErrorKind[] } : {}),
      hangRate: num('hang-rate', values['hang-rate'], 0, 1) ?? 0,
      hangMs: hangMs ?? null,
      malformedRate: num('malformed-rate', values['malformed-rate'], 0, 1) ?? 0,
      holes: (values.hole ?? []).map(parseHole),
      halts: (values.halt ?? []).map(parseHalt),
      symbolEvents: [
        ...(values.delist ?? []).map((t) => parseSymbolEvent('delist', t)),
        ...(values['symbol-halt'] ?? []).map((t) => parseSymbolEvent('symbol-halt', t)),
      ],
      clockOffsetMs: num('clock-offset', values['clock-offset'], -Infinity) ?? 0,
      streamStalls: (values['ws-stall'] ?? []).map(parseStall),
      skippedFinals: (values['ws-skip-final'] ?? []).map(parseSkippedFinal),
      connectionDrops: (values['ws-drop-at'] ?? []).map(parseDrop),
    },
    streams: {
      port: num('ws-port', values['ws-port'], 0, 65535),
      lifetimeNoticeMs: num('ws-lifetime-notice', values['ws-lifetime-notice']),
    },
  };
  return { help: false, options };
}
