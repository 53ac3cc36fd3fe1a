/*
 * npm run backtest -- --data <folder> --symbols BTCUSDT,ETHUSDT --interval 5m [--from ISO] [--to ISO] [--config file.json] [--json]
 *
 * Runs signal-core's engine (the code the live scanner runs) over Binance kline files
 * (<SYMBOL>-<interval>.json or .json.gz, the REST /api/v3/klines rows) and reports the outcomes.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { gunzipSync } from 'node:zlib';
import {
  computeOutcomeStats,
  DEFAULT_ENGINE_CONFIG,
  InvalidEngineConfigError,
  parseBinanceKlines,
  resolveEngineConfig,
  runBacktest,
  TIMEFRAME_MS,
  type Candle,
  type EngineConfig,
  type OutcomeStats,
  type Signal,
} from '@scanner/signal-core';

const DEFAULT_DATA_DIR = path.resolve(__dirname, '../../exchange-sim/data');
/**
 * A path the user typed, from the folder they typed it in: npm runs this script in backend/api and
 * passes the caller's folder as INIT_CWD.
 */
const userPath = (file: string): string => path.resolve(process.env.INIT_CWD ?? process.cwd(), file);
const USAGE = `usage: npm run backtest -- [--data <folder>] [--symbols BTCUSDT,ETHUSDT] [--interval 5m] [--from ISO] [--to ISO] [--config file.json] [--json]
  --data      folder of Binance kline files <SYMBOL>-<interval>.json[.gz] (default: the bundled backend/exchange-sim/data)
  --symbols   comma list (default: every symbol with a file for the interval)
  --interval  kline interval (default 5m)
  --from/--to keep candles opening in [from, to) (ISO-8601)
  --config    JSON file of engine config overrides (validated; defaults otherwise)
  --json      machine-readable output on stdout`;

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
  if (!Number.isFinite(ms)) throw new UsageError(`--${name}: "${value}" is not an ISO-8601 date such as 2024-08-05 or 2024-08-05T12:00:00Z`);
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
  if (!(interval in TIMEFRAME_MS)) throw new UsageError(`--interval: "${interval}" is not one of ${Object.keys(TIMEFRAME_MS).join(', ')}`);
  const data = values.data === undefined ? DEFAULT_DATA_DIR : userPath(values.data);
  if (!existsSync(data) || !statSync(data).isDirectory()) throw new UsageError(`--data: ${data} is not a folder`);
  const symbols = values.symbols === undefined ? null : values.symbols.split(',').map((s) => s.trim().toUpperCase()).filter(Boolean);
  if (symbols !== null && symbols.length === 0) throw new UsageError('--symbols: give at least one symbol, e.g. BTCUSDT,ETHUSDT');
  const from = parseTime('from', values.from);
  const to = parseTime('to', values.to);
  if (from !== null && to !== null && from >= to) throw new UsageError(`--from ${values.from} must be before --to ${values.to}`);
  return { data, symbols, interval, from, to, config: loadConfig(values.config), json: values.json ?? false };
}

function loadConfig(given: string | undefined): EngineConfig {
  if (given === undefined) return DEFAULT_ENGINE_CONFIG;
  const file = userPath(given);
  if (!existsSync(file)) throw new UsageError(`--config: ${file} does not exist`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UsageError(`--config: ${file} is not valid JSON (${(error as Error).message})`);
  }
  try {
    return resolveEngineConfig(raw as never);
  } catch (error) {
    if (error instanceof InvalidEngineConfigError) throw new UsageError(`--config: ${file}: ${error.message}`);
    throw error;
  }
}

function klineFile(dir: string, symbol: string, interval: string): string | null {
  for (const name of [`${symbol}-${interval}.json`, `${symbol}-${interval}.json.gz`]) {
    if (existsSync(path.join(dir, name))) return path.join(dir, name);
  }
  return null;
}

function availableSymbols(dir: string, interval: string): string[] {
  const suffix = new RegExp(`^([A-Z0-9]+)-${interval.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.json(\\.gz)?$`);
  return [...new Set(readdirSync(dir).map((f) => suffix.exec(f)?.[1]).filter((s): s is string => s !== undefined))].sort();
}

function loadCandles(file: string, from: number | null, to: number | null): Candle[] {
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
    candles = parseBinanceKlines(rows);
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
    process.stderr.write(`\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${this.total} ${label.padEnd(14)}`);
  }
  done(): void {
    if (this.enabled) process.stderr.write('\r\x1b[2K');
  }
}

interface Report {
  interval: string;
  symbols: string[];
  candles: number;
  gaps: number;
  seconds: number;
  candlesPerSecond: number;
  overall: OutcomeStats;
  perSymbol: Record<string, OutcomeStats & { candles: number }>;
}

function run(options: Options): Report {
  const symbols = options.symbols ?? availableSymbols(options.data, options.interval);
  if (symbols.length === 0) throw new UsageError(`--data: no <SYMBOL>-${options.interval}.json[.gz] files in ${options.data}`);
  const missing = symbols.filter((s) => klineFile(options.data, s, options.interval) === null);
  if (missing.length > 0) {
    throw new UsageError(`no kline file for ${missing.join(', ')} at ${options.interval} in ${options.data} (expected e.g. ${missing[0]}-${options.interval}.json or .json.gz)`);
  }
  const progress = new Progress(symbols.length);
  const all: Signal[] = [];
  const perSymbol: Report['perSymbol'] = {};
  let candles = 0;
  let gaps = 0;
  let seconds = 0;
  symbols.forEach((symbol, i) => {
    progress.tick(i, symbol);
    const series = loadCandles(klineFile(options.data, symbol, options.interval)!, options.from, options.to);
    const started = process.hrtime.bigint();
    // One symbol at a time (symbols are independent): the same result as one call, with progress.
    const result = runBacktest({ [symbol]: series }, options.config, { timeframe: options.interval });
    seconds += Number(process.hrtime.bigint() - started) / 1e9;
    all.push(...result.signals);
    candles += series.length;
    gaps += result.report.gaps;
    perSymbol[symbol] = { ...computeOutcomeStats(result.signals), candles: series.length };
  });
  progress.done();
  return { interval: options.interval, symbols, candles, gaps, seconds, candlesPerSecond: seconds > 0 ? Math.round(candles / seconds) : 0, overall: computeOutcomeStats(all), perSymbol };
}

function printTable(report: Report, options: Options): void {
  const pct = (x: number | null) => (x === null ? '-' : `${(x * 100).toFixed(1)}%`);
  const num = (x: number | null, d = 3) => (x === null ? '-' : x.toFixed(d));
  const out: string[] = [];
  const range = `${options.from === null ? 'start' : new Date(options.from).toISOString()} .. ${options.to === null ? 'end' : new Date(options.to).toISOString()}`;
  out.push(`backtest ${report.interval}: ${report.symbols.length} symbols, ${report.candles.toLocaleString('en')} candles (${range}), ${report.gaps} gaps`);
  out.push(`engine time ${report.seconds.toFixed(3)} s = ${report.candlesPerSecond.toLocaleString('en')} candles/s\n`);
  const o = report.overall;
  out.push(`signals: ${o.closed + o.open} (${o.open} still active at the end)`);
  out.push(`by outcome: TP_HIT ${o.byOutcome.TP_HIT}, SL_HIT ${o.byOutcome.SL_HIT}, INVALIDATED ${o.byOutcome.INVALIDATED}, EXPIRED ${o.byOutcome.EXPIRED}`);
  out.push(`win rate (TP/(TP+SL)) ${pct(o.winRate)}, average R ${num(o.averageR)}, expectancy ${num(o.expectancy)} R, profit factor ${num(o.profitFactor)}, total ${num(o.totalR, 2)} R, max drawdown ${num(o.maxDrawdownR, 2)} R\n`);
  const header = `${'symbol'.padEnd(14)}${'candles'.padStart(8)}${'closed'.padStart(8)}${'TP'.padStart(6)}${'SL'.padStart(6)}${'INV'.padStart(6)}${'EXP'.padStart(6)}${'win%'.padStart(8)}${'avgR'.padStart(8)}${'expect'.padStart(8)}${'PF'.padStart(8)}${'maxDD_R'.padStart(9)}`;
  out.push(header);
  const line = (name: string, s: OutcomeStats, n: number) =>
    `${name.padEnd(14)}${String(n).padStart(8)}${String(s.closed).padStart(8)}${String(s.byOutcome.TP_HIT).padStart(6)}${String(s.byOutcome.SL_HIT).padStart(6)}` +
    `${String(s.byOutcome.INVALIDATED).padStart(6)}${String(s.byOutcome.EXPIRED).padStart(6)}${pct(s.winRate).padStart(8)}${num(s.averageR).padStart(8)}` +
    `${num(s.expectancy).padStart(8)}${num(s.profitFactor).padStart(8)}${s.maxDrawdownR.toFixed(2).padStart(9)}`;
  for (const [symbol, s] of Object.entries(report.perSymbol)) out.push(line(symbol, s, s.candles));
  out.push(line('ALL', o, report.candles));
  process.stdout.write(`${out.join('\n')}\n`);
}

function main(): void {
  let options: Options;
  try {
    options = parseOptions(process.argv.slice(2));
    const report = run(options);
    if (options.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    else printTable(report, options);
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
