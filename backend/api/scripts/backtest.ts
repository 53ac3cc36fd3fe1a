/*
 * npm run backtest -- --data <folder> --symbols BTCUSDT,ETHUSDT --interval 5m [--from ISO] [--to ISO] [--config file.json]
 *                     [--fee-bps 10] [--slippage-bps 0] [--walk-forward is=30d,oos=7d,gap=1d] [--wf-candidates file.json]
 *                     [--monte-carlo 1000 --seed 1] [--threads N] [--db <DATABASE_URL>] [--json]
 *
 * Runs signal-core's engine (the code the live scanner runs) over Binance kline files
 * (<SYMBOL>-<interval>.json or .json.gz, the REST /api/v3/klines rows) or the candles the scanner
 * stored (--db), on worker threads, and reports the outcomes with signal-core's statistics:
 * expectancy over every close after costs, win and hit rates with intervals, the calibration of
 * confidence, the ablation of each condition, and on request walk-forward (out-of-sample figures
 * only) and Monte Carlo bands of drawdown and final R.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { gunzipSync } from 'node:zlib';
import {
  candleRange,
  closedTradeNetR,
  computeCalibration,
  computeSignalStats,
  InvalidEngineConfigError,
  MONTE_CARLO_MAX_RUNS,
  monteCarloNetR,
  mulberry32,
  parseBinanceKlines,
  parseWalkForwardSpec,
  resolveEngineConfig,
  runAblation,
  runBacktest,
  TIMEFRAME_MS,
  walkForward,
  type BacktestResult,
  type Candle,
  type EngineConfig,
  type EngineConfigOverrides,
  type Signal,
  type WalkForwardSpec,
} from '@scanner/signal-core';
import { BacktestThreadPool, defaultThreads } from '../../libs/signal-core/node/backtest-threads';
import { redact, StoredCandles } from './backtest-db';
import { formatBacktestTable, type BacktestCliReport } from './backtest-table';

const DEFAULT_DATA_DIR = path.resolve(__dirname, '../../exchange-sim/data');
/**
 * A path the user typed, from the folder they typed it in: npm runs this script in backend/api and
 * passes the caller's folder as INIT_CWD.
 */
const userPath = (file: string): string => path.resolve(process.env.INIT_CWD ?? process.cwd(), file);
const USAGE = `usage: npm run backtest -- [--data <folder> | --db <url>] [--symbols BTCUSDT,ETHUSDT] [--interval 5m] [--from ISO] [--to ISO] [--config file.json] [--fee-bps N] [--slippage-bps N]
                    [--walk-forward is=30d,oos=7d[,gap=1d][,step=7d]] [--wf-candidates file.json] [--monte-carlo RUNS [--seed N]] [--threads N] [--json]
  --data      folder of Binance kline files <SYMBOL>-<interval>.json[.gz] (default: the bundled backend/exchange-sim/data)
  --db        Postgres URL (e.g. "$DATABASE_URL"): replay the candles the scanner stored, read-only, instead of files
  --symbols   comma list (default: every symbol with a file, or stored candles, for the interval)
  --interval  kline interval (default 5m)
  --from/--to keep candles opening in [from, to) (ISO-8601)
  --config    JSON file of engine config overrides (validated; defaults otherwise)
  --fee-bps   exchange fee per side in basis points (default 10, Binance spot taker); overrides --config
  --slippage-bps  slippage per side in basis points (default 0); overrides --config
  --walk-forward  rolling windows: is= in-sample, oos= out-of-sample, gap= embargo between them (default 0),
              step= (default oos); lengths in candles (2000) or m/h/d/w (30d). Reports out-of-sample figures only
  --wf-candidates JSON file: an array of engine config overrides (on top of --config) to choose from on each
              in-sample window, beside the base configuration (candidate 0)
  --monte-carlo   resample the closed trades' net R RUNS times (bootstrap with replacement, up to ${MONTE_CARLO_MAX_RUNS}):
              5/50/95% bands of max drawdown and final R (of the out-of-sample trades too with --walk-forward)
  --seed      integer seed of --monte-carlo (default 1): the same seed gives the same bands
  --threads   worker threads of the replay (default: every core, ${defaultThreads()} here); 1 = in this thread
  --json      machine-readable output on stdout (the same figures as the table)
1m files (<SYMBOL>-1m.json[.gz]) in the data folder, or stored 1m candles, where they cover the period, decide candles that touch both TP and SL.`;

class UsageError extends Error {}

interface Options {
  data: string | null;
  db: string | null;
  symbols: string[] | null;
  interval: string;
  from: number | null;
  to: number | null;
  config: EngineConfig;
  walkForward: WalkForwardSpec | null;
  candidates: EngineConfig[];
  monteCarlo: number | null;
  seed: number;
  threads: number;
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
        'walk-forward': { type: 'string' },
        'wf-candidates': { type: 'string' },
        'monte-carlo': { type: 'string' },
        seed: { type: 'string' },
        threads: { type: 'string' },
        db: { type: 'string' },
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
  if (values.db !== undefined && values.data !== undefined)
    throw new UsageError('--data and --db: give one source of candles, files or the database');
  if (values.db !== undefined && !/^postgres(ql)?:\/\//.test(values.db))
    throw new UsageError(`--db: "${redact(values.db)}" is not a postgres:// URL`);
  const db = values.db ?? null;
  const data = db !== null ? null : values.data === undefined ? DEFAULT_DATA_DIR : userPath(values.data);
  if (data !== null && (!existsSync(data) || !statSync(data).isDirectory()))
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
  let walkForwardSpec: WalkForwardSpec | null = null;
  if (values['walk-forward'] !== undefined) {
    try {
      walkForwardSpec = parseWalkForwardSpec(values['walk-forward'], interval);
    } catch (error) {
      throw new UsageError(`--walk-forward: ${(error as Error).message}`);
    }
  }
  if (values['wf-candidates'] !== undefined && walkForwardSpec === null)
    throw new UsageError(
      '--wf-candidates: candidates are chosen between on walk-forward windows; add --walk-forward',
    );
  const candidates =
    values['wf-candidates'] === undefined ? [] : loadCandidates(userPath(values['wf-candidates']), config);
  const monteCarlo = integerFlag(
    'monte-carlo',
    values['monte-carlo'],
    1,
    MONTE_CARLO_MAX_RUNS,
    'a number of runs, e.g. 1000',
  );
  const seed = integerFlag('seed', values.seed, -(2 ** 31), 2 ** 32 - 1, 'an integer seed, e.g. 42');
  if (seed !== null && monteCarlo === null)
    throw new UsageError('--seed: the seed is for --monte-carlo; add --monte-carlo RUNS');
  const threads = integerFlag('threads', values.threads, 1, 256, 'a number of worker threads, e.g. 2');
  return {
    data,
    db,
    symbols,
    interval,
    from,
    to,
    config,
    walkForward: walkForwardSpec,
    candidates,
    monteCarlo,
    seed: seed ?? 1,
    threads: threads ?? defaultThreads(),
    json: values.json ?? false,
  };
}

function integerFlag(
  name: string,
  value: string | undefined,
  min: number,
  max: number,
  what: string,
): number | null {
  if (value === undefined) return null;
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n))
    throw new UsageError(`--${name}: "${value}" is not ${what}`);
  if (n < min || n > max) throw new UsageError(`--${name}: must be from ${min} to ${max}, got ${n}`);
  return n;
}

/** --wf-candidates: an array of override objects, each on top of the base configuration, each validated. */
function loadCandidates(file: string, base: EngineConfig): EngineConfig[] {
  if (!existsSync(file)) throw new UsageError(`--wf-candidates: ${file} does not exist`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UsageError(`--wf-candidates: ${file} is not valid JSON (${(error as Error).message})`);
  }
  if (!Array.isArray(raw) || raw.length === 0)
    throw new UsageError(
      `--wf-candidates: ${file}: must be a non-empty JSON array of engine config overrides`,
    );
  return raw.map((overrides: unknown, i) => {
    if (typeof overrides !== 'object' || overrides === null || Array.isArray(overrides))
      throw new UsageError(
        `--wf-candidates: ${file}: candidate ${i + 1} must be an object of engine settings`,
      );
    try {
      return resolveEngineConfig(overrides as EngineConfigOverrides, base);
    } catch (error) {
      throw new UsageError(`--wf-candidates: ${file}: candidate ${i + 1}: ${(error as Error).message}`);
    }
  });
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
  tick(done: number, total: number, label: string): void {
    if (!this.enabled) return;
    const width = 30;
    const filled = Math.round((done / Math.max(1, total)) * width);
    process.stderr.write(
      `\r\x1b[2K[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total} ${label}`,
    );
  }
  done(): void {
    if (this.enabled) process.stderr.write('\r\x1b[2K');
  }
}

/**
 * The 1m candles of `symbol` in the data folder (or the database) that fall inside the series, or
 * null: they decide a candle that touched both levels (a 1m backtest needs none).
 */
async function loadFineCandles(
  options: Options,
  source: StoredCandles | null,
  symbol: string,
  series: readonly Candle[],
): Promise<Candle[] | null> {
  if (options.interval === '1m' || series.length === 0) return null;
  const from = series[0].openTime;
  const to = series[series.length - 1].closeTime + 1;
  let inside: Candle[];
  if (source !== null) {
    inside = await source.candles(symbol, '1m', from, to);
  } else {
    const file = klineFile(options.data!, symbol, '1m');
    if (file === null) return null;
    inside = loadCandles(file, symbol, '1m', from, to);
  }
  return inside.length === 0 ? null : inside;
}

interface LoadedSeries {
  symbols: string[];
  series: Record<string, Candle[]>;
  fine: Record<string, Candle[]>;
}

async function loadSeries(options: Options, progress: (done: number, total: number, label: string) => void) {
  const source = options.db === null ? null : await StoredCandles.open(options.db);
  try {
    const where = source === null ? `in ${options.data}` : `stored in ${redact(options.db!)}`;
    const symbols =
      options.symbols ??
      (source === null
        ? availableSymbols(options.data!, options.interval)
        : await source.symbols(options.interval));
    if (symbols.length === 0) {
      throw new UsageError(
        source === null
          ? `--data: no <SYMBOL>-${options.interval}.json[.gz] files in ${options.data}`
          : `--db: no ${options.interval} candles ${where}`,
      );
    }
    if (source === null) {
      const missing = symbols.filter((s) => klineFile(options.data!, s, options.interval) === null);
      if (missing.length > 0) {
        throw new UsageError(
          `no kline file for ${missing.join(', ')} at ${options.interval} in ${options.data} (expected e.g. ${missing[0]}-${options.interval}.json or .json.gz)`,
        );
      }
    }
    const loaded: LoadedSeries = { symbols, series: {}, fine: {} };
    for (let i = 0; i < symbols.length; i++) {
      const symbol = symbols[i];
      progress(i, symbols.length, symbol);
      const mine =
        source === null
          ? loadCandles(
              klineFile(options.data!, symbol, options.interval)!,
              symbol,
              options.interval,
              options.from,
              options.to,
            )
          : await source.candles(symbol, options.interval, options.from, options.to);
      loaded.series[symbol] = mine;
      const minutes = await loadFineCandles(options, source, symbol, mine);
      if (minutes !== null) loaded.fine[symbol] = minutes;
    }
    if (source !== null) {
      const empty = symbols.filter((s) => loaded.series[s].length === 0);
      if (empty.length === symbols.length)
        throw new UsageError(
          `--db: no ${options.interval} candles of ${empty.join(', ')} ${where} in the period`,
        );
    }
    return loaded;
  } finally {
    await source?.close();
  }
}

/** The replays: in this thread with --threads 1, else on a pool holding the series. */
interface Replayer {
  replay(config: EngineConfig): Promise<BacktestResult>;
  close(): Promise<void>;
}

async function replayer(options: Options, loaded: LoadedSeries): Promise<Replayer> {
  const backtestOptions = { timeframe: options.interval, fineCandles: loaded.fine };
  if (options.threads === 1) {
    return {
      replay: async (config) => runBacktest(loaded.series, config, backtestOptions),
      close: async () => undefined,
    };
  }
  const pool = new BacktestThreadPool(Math.min(options.threads, Math.max(1, loaded.symbols.length)));
  await pool.load(loaded.series, loaded.fine);
  return {
    replay: (config) => pool.replay(config, { timeframe: options.interval }),
    close: () => pool.close(),
  };
}

/** The chosen candidate's signals created in each window's out-of-sample part. */
function outOfSampleSignals(
  report: NonNullable<BacktestCliReport['walkForward']>,
  byCandidate: readonly (readonly Signal[])[],
): Signal[] {
  return report.windows.flatMap((w) =>
    byCandidate[w.chosen].filter((s) => s.createdAt >= w.outOfSample.from && s.createdAt < w.outOfSample.to),
  );
}

async function run(options: Options): Promise<BacktestCliReport> {
  const bar = new Progress();
  const loaded = await loadSeries(options, (done, total, label) => bar.tick(done, total, `loading ${label}`));
  const { symbols, series, fine } = loaded;
  const candles = symbols.reduce((n, s) => n + series[s].length, 0);
  bar.tick(0, 1, 'replay');
  const engine = await replayer(options, loaded);
  let result: BacktestResult;
  let seconds: number;
  let byCandidate: Signal[][] = [];
  try {
    const started = process.hrtime.bigint();
    result = await engine.replay(options.config);
    seconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (options.walkForward !== null) {
      byCandidate = [result.signals];
      for (let i = 0; i < options.candidates.length; i++) {
        bar.tick(i, options.candidates.length, `candidate ${i + 1}`);
        byCandidate.push((await engine.replay(options.candidates[i])).signals);
      }
    }
  } finally {
    await engine.close();
  }
  const all = result.signals;
  const perSymbol: BacktestCliReport['perSymbol'] = {};
  for (const symbol of symbols) {
    perSymbol[symbol] = {
      ...(result.report.perSymbol[symbol] ?? computeSignalStats([])),
      candles: series[symbol].length,
    };
  }
  const ablation = runAblation(
    series,
    options.config,
    { timeframe: options.interval, fineCandles: fine },
    all,
    (key, i) => bar.tick(i, 8, `ablation ${key}`),
  );
  let walkForwardReport: BacktestCliReport['walkForward'] = null;
  if (options.walkForward !== null) {
    try {
      walkForwardReport = walkForward(byCandidate, candleRange(series), options.walkForward);
    } catch (error) {
      throw new UsageError(`--walk-forward: ${(error as Error).message}`);
    }
  }
  let monteCarlo: BacktestCliReport['monteCarlo'] = null;
  if (options.monteCarlo !== null) {
    const resample = (signals: readonly Signal[]) => {
      const trades = closedTradeNetR(signals);
      return trades.length === 0
        ? null
        : monteCarloNetR(trades, { runs: options.monteCarlo!, random: mulberry32(options.seed) });
    };
    monteCarlo = {
      seed: options.seed,
      backtest: resample(all),
      outOfSample:
        walkForwardReport === null ? null : resample(outOfSampleSignals(walkForwardReport, byCandidate)),
    };
  }
  bar.done();
  return {
    interval: options.interval,
    source: options.db === null ? 'files' : 'database',
    symbols,
    from: options.from === null ? null : new Date(options.from).toISOString(),
    to: options.to === null ? null : new Date(options.to).toISOString(),
    candles,
    gaps: result.report.gaps,
    threads: options.threads,
    seconds,
    candlesPerSecond: seconds > 0 ? Math.round(candles / seconds) : 0,
    costs: { feeBps: options.config.feeBps, slippageBps: options.config.slippageBps },
    fineCandleSymbols: Object.keys(fine),
    resolutions: result.report.resolutions,
    overall: computeSignalStats(all),
    perSymbol,
    calibration: computeCalibration(all),
    ablation,
    walkForward: walkForwardReport,
    monteCarlo,
  };
}

async function main(): Promise<void> {
  let options: Options;
  try {
    options = parseOptions(process.argv.slice(2));
    const report = await run(options);
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

void main();
