/*
 * npm run backtest -- --data <folder> --symbols BTCUSDT,ETHUSDT --interval 5m [--from ISO] [--to ISO] [--config file.json]
 *                     [--fee-bps 10] [--slippage-bps 0] [--json]
 *
 * Runs signal-core's engine (the code the live scanner runs) over Binance kline files
 * (<SYMBOL>-<interval>.json or .json.gz, the REST /api/v3/klines rows) and reports the outcomes
 * with signal-core's statistics: expectancy over every close after costs, win and hit rates with
 * intervals, the calibration of confidence, and the ablation of each condition.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { gunzipSync } from 'node:zlib';
import {
  computeCalibration,
  computeSignalStats,
  InvalidEngineConfigError,
  parseBinanceKlines,
  resolveEngineConfig,
  runAblation,
  runBacktest,
  TIMEFRAME_MS,
  type Candle,
  type EngineConfig,
  type EngineConfigOverrides,
  type Signal,
} from '@scanner/signal-core';
import { formatBacktestTable, type BacktestCliReport } from './backtest-table';

const DEFAULT_DATA_DIR = path.resolve(__dirname, '../../exchange-sim/data');
/**
 * A path the user typed, from the folder they typed it in: npm runs this script in backend/api and
 * passes the caller's folder as INIT_CWD.
 */
const userPath = (file: string): string => path.resolve(process.env.INIT_CWD ?? process.cwd(), file);
const USAGE = `usage: npm run backtest -- [--data <folder>] [--symbols BTCUSDT,ETHUSDT] [--interval 5m] [--from ISO] [--to ISO] [--config file.json] [--fee-bps N] [--slippage-bps N] [--json]
  --data      folder of Binance kline files <SYMBOL>-<interval>.json[.gz] (default: the bundled backend/exchange-sim/data)
  --symbols   comma list (default: every symbol with a file for the interval)
  --interval  kline interval (default 5m)
  --from/--to keep candles opening in [from, to) (ISO-8601)
  --config    JSON file of engine config overrides (validated; defaults otherwise)
  --fee-bps   exchange fee per side in basis points (default 10, Binance spot taker); overrides --config
  --slippage-bps  slippage per side in basis points (default 0); overrides --config
  --json      machine-readable output on stdout (the same figures as the table)
1m files (<SYMBOL>-1m.json[.gz]) in the data folder, where they cover the period, decide candles that touch both TP and SL.`;

class UsageError extends Error {}

interface Options {
  data: string;
  symbols: string[] | null;
  interval: string;
  from: number | null;
  to: number | null;
  config: EngineConfig;
  json: boolean;
}

function parseTime(name: string, value: string | undefined): number | null {
  if (value === undefined) return null;
  const ms = Date.parse(value);
  if (!Number.isFinite(ms))
    throw new UsageError(
      `--${name}: "${value}" is not an ISO-8601 date such as 2024-08-05 or 2024-08-05T12:00:00Z`,
    );
  return ms;
}

function parseOptions(argv: string[]): Options {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        data: { type: 'string' },
        symbols: { type: 'string' },
        interval: { type: 'string', default: '5m' },
        from: { type: 'string' },
        to: { type: 'string' },
        config: { type: 'string' },
        'fee-bps': { type: 'string' },
        'slippage-bps': { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const interval = values.interval ?? '5m';
  if (!(interval in TIMEFRAME_MS))
    throw new UsageError(`--interval: "${interval}" is not one of ${Object.keys(TIMEFRAME_MS).join(', ')}`);
  const data = values.data === undefined ? DEFAULT_DATA_DIR : userPath(values.data);
  if (!existsSync(data) || !statSync(data).isDirectory())
    throw new UsageError(`--data: ${data} is not a folder`);
  const symbols =
    values.symbols === undefined
      ? null
      : values.symbols
          .split(',')
          .map((s) => s.trim().toUpperCase())
          .filter(Boolean);
  if (symbols !== null && symbols.length === 0)
    throw new UsageError('--symbols: give at least one symbol, e.g. BTCUSDT,ETHUSDT');
  const from = parseTime('from', values.from);
  const to = parseTime('to', values.to);
  if (from !== null && to !== null && from >= to)
    throw new UsageError(`--from ${values.from} must be before --to ${values.to}`);
  const config = loadConfig(
    values.config,
    flagNumber('fee-bps', values['fee-bps']),
    flagNumber('slippage-bps', values['slippage-bps']),
  );
  return { data, symbols, interval, from, to, config, json: values.json ?? false };
}

function flagNumber(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n))
    throw new UsageError(`--${name}: "${value}" is not a number of basis points, e.g. 10`);
  return n;
}

/** The file's overrides, then the cost flags, on the defaults; validated once, each problem named by where it came from. */
function loadConfig(
  given: string | undefined,
  feeBps: number | undefined,
  slippageBps: number | undefined,
): EngineConfig {
  const overrides: Record<string, unknown> = given === undefined ? {} : readOverrides(userPath(given));
  if (feeBps !== undefined) overrides.feeBps = feeBps;
  if (slippageBps !== undefined) overrides.slippageBps = slippageBps;
  try {
    return resolveEngineConfig(overrides as EngineConfigOverrides);
  } catch (error) {
    if (!(error instanceof InvalidEngineConfigError)) throw error;
    const flags: Record<string, [string, number | undefined]> = {
      feeBps: ['--fee-bps', feeBps],
      slippageBps: ['--slippage-bps', slippageBps],
    };
    const fromFlags = error.issues.filter((i) => flags[i.field]?.[1] !== undefined);
    if (fromFlags.length > 0)
      throw new UsageError(fromFlags.map((i) => `${flags[i.field][0]}: ${i.message}`).join('; '));
    throw new UsageError(`--config: ${userPath(given ?? '')}: ${error.message}`);
  }
}

function readOverrides(file: string): Record<string, unknown> {
  if (!existsSync(file)) throw new UsageError(`--config: ${file} does not exist`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UsageError(`--config: ${file} is not valid JSON (${(error as Error).message})`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new UsageError(`--config: ${file}: must be a JSON object of engine settings`);
  return { ...(raw as Record<string, unknown>) };
}

function klineFile(dir: string, symbol: string, interval: string): string | null {
  for (const name of [`${symbol}-${interval}.json`, `${symbol}-${interval}.json.gz`]) {
    if (existsSync(path.join(dir, name))) return path.join(dir, name);
  }
  return null;
}

function availableSymbols(dir: string, interval: string): string[] {
  const suffix = new RegExp(
    `^([A-Z0-9]+)-${interval.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.json(\\.gz)?$`,
  );
  return [
    ...new Set(
      readdirSync(dir)
        .map((f) => suffix.exec(f)?.[1])
        .filter((s): s is string => s !== undefined),
    ),
  ].sort();
}

function loadCandles(
  file: string,
  symbol: string,
  interval: string,
  from: number | null,
  to: number | null,
): Candle[] {
  const bytes = readFileSync(file);
  const text = file.endsWith('.gz') ? gunzipSync(bytes).toString('utf8') : bytes.toString('utf8');
  let rows: unknown;
  try {
    rows = JSON.parse(text);
  } catch (error) {
    throw new Error(`${file}: not JSON (${(error as Error).message})`);
  }
  if (!Array.isArray(rows)) throw new Error(`${file}: expected an array of Binance kline rows`);
  let candles: Candle[];
  try {
    // Files of history may hold exchange halts: the engine treats a hole exactly as live does.
    candles = parseBinanceKlines(rows, { symbol, interval, gaps: 'allow' });
  } catch (error) {
    throw new Error(`${file}: ${(error as Error).message}`);
  }
  return candles.filter((c) => (from === null || c.openTime >= from) && (to === null || c.openTime < to));
}

class Progress {
  private readonly enabled = process.stderr.isTTY === true;
  constructor(private readonly total: number) {}
  tick(done: number, label: string): void {
    if (!this.enabled) return;
    const width = 30;
    const filled = Math.round((done / this.total) * width);
    process.stderr.write(
      `\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${this.total} ${label.padEnd(14)}`,
    );
  }
  done(): void {
    if (this.enabled) process.stderr.write('\r\x1b[2K');
  }
}

/**
 * The 1m candles of `symbol` in the data folder that fall inside the series, or null: they decide
 * a candle that touched both levels (a 1m backtest needs none).
 */
function loadFineCandles(options: Options, symbol: string, series: readonly Candle[]): Candle[] | null {
  if (options.interval === '1m' || series.length === 0) return null;
  const file = klineFile(options.data, symbol, '1m');
  if (file === null) return null;
  const inside = loadCandles(file, symbol, '1m', series[0].openTime, series[series.length - 1].closeTime + 1);
  return inside.length === 0 ? null : inside;
}

function run(options: Options): BacktestCliReport {
  const symbols = options.symbols ?? availableSymbols(options.data, options.interval);
  if (symbols.length === 0)
    throw new UsageError(`--data: no <SYMBOL>-${options.interval}.json[.gz] files in ${options.data}`);
  const missing = symbols.filter((s) => klineFile(options.data, s, options.interval) === null);
  if (missing.length > 0) {
    throw new UsageError(
      `no kline file for ${missing.join(', ')} at ${options.interval} in ${options.data} (expected e.g. ${missing[0]}-${options.interval}.json or .json.gz)`,
    );
  }
  const progress = new Progress(symbols.length + 8);
  const all: Signal[] = [];
  const series: Record<string, Candle[]> = {};
  const fine: Record<string, Candle[]> = {};
  const perSymbol: BacktestCliReport['perSymbol'] = {};
  const resolutions = { fine: 0, conservative: 0 };
  let candles = 0;
  let gaps = 0;
  let seconds = 0;
  symbols.forEach((symbol, i) => {
    progress.tick(i, symbol);
    const mine = loadCandles(
      klineFile(options.data, symbol, options.interval)!,
      symbol,
      options.interval,
      options.from,
      options.to,
    );
    series[symbol] = mine;
    const minutes = loadFineCandles(options, symbol, mine);
    if (minutes !== null) fine[symbol] = minutes;
    const started = process.hrtime.bigint();
    // One symbol at a time (symbols are independent): the same result as one call, with progress.
    const result = runBacktest({ [symbol]: mine }, options.config, {
      timeframe: options.interval,
      fineCandles: fine,
    });
    seconds += Number(process.hrtime.bigint() - started) / 1e9;
    all.push(...result.signals);
    candles += mine.length;
    gaps += result.report.gaps;
    resolutions.fine += result.report.resolutions.fine;
    resolutions.conservative += result.report.resolutions.conservative;
    perSymbol[symbol] = { ...computeSignalStats(result.signals), candles: mine.length };
  });
  const ablation = runAblation(
    series,
    options.config,
    { timeframe: options.interval, fineCandles: fine },
    all,
    (key, i) => progress.tick(symbols.length + i, key),
  );
  progress.done();
  return {
    interval: options.interval,
    symbols,
    from: options.from === null ? null : new Date(options.from).toISOString(),
    to: options.to === null ? null : new Date(options.to).toISOString(),
    candles,
    gaps,
    seconds,
    candlesPerSecond: seconds > 0 ? Math.round(candles / seconds) : 0,
    costs: { feeBps: options.config.feeBps, slippageBps: options.config.slippageBps },
    fineCandleSymbols: Object.keys(fine),
    resolutions,
    overall: computeSignalStats(all),
    perSymbol,
    calibration: computeCalibration(all),
    ablation,
  };
}

function main(): void {
  let options: Options;
  try {
    options = parseOptions(process.argv.slice(2));
    const report = run(options);
    if (options.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    else process.stdout.write(`${formatBacktestTable(report)}\n`);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`backtest: ${error.message}\n\n${USAGE}\n`);
      process.exit(2);
    }
    process.stderr.write(`backtest: ${(error as Error).message}\n`);
    process.exit(1);
  }
}

main();
